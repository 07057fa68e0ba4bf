// Entry point the Pulumi CLI loads (Pulumi.yaml `main`). The program's promise resolves to the
// stack outputs.
import { incident } from "./program";

export = incident();
