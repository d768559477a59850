import { type CommandEnvelope, parseCommandEntry } from "./command-entry.js";
import { createStreamConsumer, type StreamConsumer, type StreamConsumerOptions } from "./stream-consumer.js";
import { StreamKind, streamKey } from "./streams.js";

export interface CommandConsumerOptions
  extends Omit<StreamConsumerOptions<CommandEnvelope>, "stream" | "deadLetterStream" | "parse" | "idOf"> {
  domain: string;
  /** Key prefix for tests (`test:<pkg>:`). */
  namespace?: string;
  /**
   * Checks an entry's raw fields before it is parsed (the signer verifies the producer's signature).
   * Throwing (a PermanentError) dead-letters the entry as unreadable: the handler never sees it and the
   * dead-letter hook gets no message.
   */
  verify?: (fields: Record<string, string>) => void;
}

/**
 * A consumer of `cmd:<domain>` that dead-letters to `dlq:<domain>`, dedupes by command id, and trims
 * the stream of entries every group acknowledged (`trimAcknowledged`, default true here).
 */
export function createCommandConsumer(options: CommandConsumerOptions): StreamConsumer {
  const { domain, namespace, verify, ...rest } = options;
  return createStreamConsumer<CommandEnvelope>({
    trimAcknowledged: true,
    ...rest,
    stream: streamKey(StreamKind.command, domain, namespace),
    deadLetterStream: streamKey(StreamKind.deadLetter, domain, namespace),
    parse: verify
      ? (entry) => {
          verify(entry.fields);
          return parseCommandEntry(entry);
        }
      : parseCommandEntry,
    idOf: (command) => command.commandId,
  });
}
