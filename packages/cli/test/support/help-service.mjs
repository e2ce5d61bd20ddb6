// A service with no plugin imported in code: every plugin comes by name from the flags.
import { createService } from "@micro/core";

await createService({ name: "helped" }).run();
