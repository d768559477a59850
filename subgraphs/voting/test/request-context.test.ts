import { anonymousViewer } from "@clearbook/kit";
import type { EntityManager } from "@mikro-orm/core";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { createRequestContext } from "../src/graphql/context.js";
import type { VoteService } from "../src/votes/vote.service.js";
import { newClock } from "./helpers.js";

const context = suite("request context");

/** How Apollo Server copies a context value for each operation of a request. */
const copyAsApolloDoes = <T extends object>(value: T): T =>
  Object.assign(Object.create(Object.getPrototypeOf(value)), value);

context("forks the EntityManager only when a resolver uses it, once per request", () => {
  let forks = 0;
  const em = {} as EntityManager;
  const ctx = createRequestContext(anonymousViewer("test"), {
    votes: {} as VoteService,
    clock: newClock(),
    fork: () => {
      forks++;
      return em;
    },
  });
  const copy = copyAsApolloDoes(ctx);
  assert.is(forks, 0, "building and copying the context forks nothing");
  assert.is(copy.em, em);
  assert.is(ctx.em, em, "the original and Apollo's copy share the fork");
  assert.is(forks, 1);
  assert.is(copy.viewer, ctx.viewer);
  assert.is(copy.loaders, ctx.loaders);
});

context.run();
