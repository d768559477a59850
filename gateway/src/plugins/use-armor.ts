import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { Lexer, Source, TokenKind, type ValidationRule } from "graphql";

export interface ArmorOptions {
  /** Deepest selection allowed (default 10: the contract's deepest operation needs 7). */
  maxDepth?: number;
  /** graphql-armor cost (objects 2, scalars 1, depth factor 1.5); default 20000: the partner OrganizationLedger operation costs ≈13,800. */
  maxCost?: number;
  maxAliases?: number;
  maxDirectives?: number;
  /** Masks "Did you mean …" hints; on in production, so the schema cannot be probed field by field. */
  blockFieldSuggestions?: boolean;
}

/**
 * Query limits from graphql-armor. Rejections are GraphQL validation errors (HTTP 400,
 * `GRAPHQL_VALIDATION_FAILED` or `BAD_USER_INPUT`), raised before any subgraph is called.
 */
export function useArmor(options: ArmorOptions = {}): {
  plugins: ApolloServerPlugin[];
  validationRules: ValidationRule[];
} {
  const armor = new ApolloArmor({
    maxDepth: { n: options.maxDepth ?? 10, ignoreIntrospection: true },
    costLimit: { maxCost: options.maxCost ?? 20000 },
    maxAliases: { n: options.maxAliases ?? 15 },
    maxDirectives: { n: options.maxDirectives ?? 50 },
    // Checked by the HTTP handler with `exceedsTokenLimit` before Apollo sees the document: armor's
    // version throws from a plugin hook, which Apollo Server 5 answers with HTTP 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: options.blockFieldSuggestions ?? true },
  });
  const { plugins, validationRules } = armor.protect();
  return {
    plugins: plugins as ApolloServerPlugin[],
    validationRules: validationRules as ValidationRule[],
  };
}

/**
 * Counts a document's tokens, stopping at `max + 1`.
 * @returns whether it has more than `max` (a document that does not lex is left to the parser).
 */
export function exceedsTokenLimit(source: string, max: number): boolean {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > max) return true;
    }
  } catch {
    return false;
  }
  return false;
}
