// The service page: every endpoint's call form comes alive.
import { enhanceCallForm } from "./call.js";

for (const form of document.querySelectorAll("form.call")) enhanceCallForm(form);
