// The committed src/gen module is what the generator makes from proto/greeter.proto today, so
// editing the proto without `pnpm run gen` fails here rather than at a caller.
import { readFile } from "node:fs/promises";
import { generate } from "@micro/codegen";
import { expect, it } from "vitest";

const here = new URL("..", import.meta.url).pathname;

it("src/gen/greeter.micro.ts is up to date with proto/greeter.proto", async () => {
  const [file] = await generate([`${here}proto/greeter.proto`]);
  expect(file!.path).toBe("greeter.micro.ts");
  expect(await readFile(`${here}src/gen/greeter.micro.ts`, "utf8")).toBe(file!.content);
});
