import { createRequire } from "node:module";
import type * as AnyModule from "google-protobuf/google/protobuf/any_pb.js";
import type * as TimestampModule from "google-protobuf/google/protobuf/timestamp_pb.js";

// google-protobuf's generated modules attach exports at run time, which ESM named imports cannot see.
const require = createRequire(import.meta.url);

/** google.protobuf.Timestamp, as used in Fabric headers. */
export const Timestamp = (require("google-protobuf/google/protobuf/timestamp_pb.js") as typeof TimestampModule)
  .Timestamp;

/** google.protobuf.Any, for the details of a google.rpc.Status. */
export const Any = (require("google-protobuf/google/protobuf/any_pb.js") as typeof AnyModule).Any;
