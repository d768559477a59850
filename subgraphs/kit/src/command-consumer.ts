import { type CommandEnvelope, parseCommandEntry } from "./command-entry.js";
import { createStreamConsumer, type StreamConsumer, type StreamConsumerOptions } from "./stream-consumer.js";
import { StreamKind, streamKey } from "./streams.js";

export interface CommandConsumerOptions
  extends Omit<StreamConsumerOptions<CommandEnvelope>, "stream" | "deadLetterStream" | "parse" | "idOf"> {
  domain: string;
  /** Key prefix for tests (`test:<pkg>:`). */
  namespace?: string;
}

/** A consumer of `cmd:<domain>` that dead-letters to `dlq:<domain>` and dedupes by command id. */
export function createCommandConsumer(options: CommandConsumerOptions): StreamConsumer {
  const { domain, namespace, ...rest } = options;
  return createStreamConsumer<CommandEnvelope>({
    ...rest,
    stream: streamKey(StreamKind.command, domain, namespace),
    deadLetterStream: streamKey(StreamKind.deadLetter, domain, namespace),
    parse: parseCommandEntry,
    idOf: (command) => command.commandId,
  });
}
