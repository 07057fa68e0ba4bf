// Entry point the Pulumi CLI loads (this directory's Pulumi.yaml `main`); the returned object is
// the stack's outputs.
import { readiness } from "./program";

export = readiness();
