import { Contract } from "fabric-contract-api";
import { ClearbookContext } from "./context.js";
import { fail } from "./errors.js";
import { canonicalJson } from "./json.js";

/**
 * Base of the four contracts: the Clearbook context, coded errors for unknown functions, and
 * results as canonical JSON strings (declared `@Returns("string")`, so the shim sends them as-is).
 */
export abstract class ClearbookContract extends Contract {
  override createContext(): ClearbookContext {
    return new ClearbookContext();
  }

  override async unknownTransaction(ctx: ClearbookContext): Promise<void> {
    throw fail.notFound("transaction", ctx.stub.getFunctionAndParameters().fcn);
  }

  protected result(value: unknown): string {
    return canonicalJson(value);
  }
}
