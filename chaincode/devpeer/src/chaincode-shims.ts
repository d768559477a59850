import { createRequire } from "node:module";
import { inspect } from "node:util";

// Performance shims for the chaincode runtime (fabric-shim, fabric-contract-api and the winston they
// log through). Each skips work whose result is thrown away or identical every time; what chaincode
// sees, what is checked and what is logged stay the same (decision 0100).

const require = createRequire(import.meta.url);
const requireFromShim = createRequire(require.resolve("fabric-shim"));

/** Caches kept by the shims are cleared when they reach this many entries. */
const MAX_CACHED = 10_000;

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * Installs every shim. Call before fabric-shim's `contract-spi/chaincodefromcontract.js` is loaded: it
 * binds `ClientIdentity` when it loads.
 */
export function installChaincodeShims(): void {
  cacheCertificateParsing();
  cacheClientIdentities();
  dropLogsBelowLevelBeforeWriting();
  compileParameterSchemasOnce();
}

/**
 * fabric-shim parses the creator's PEM certificate with @fidm/x509, in JavaScript, for every
 * ClientIdentity it builds. Parsed certificates are cached by their PEM text.
 */
function cacheCertificateParsing(): void {
  const fidm = requireFromShim("@fidm/x509") as { Certificate: { fromPEM(pem: Buffer | string): unknown } };
  const parse = fidm.Certificate.fromPEM.bind(fidm.Certificate);
  const cache = new Map<string, unknown>();
  fidm.Certificate.fromPEM = (pem: Buffer | string) => {
    const key = pem.toString("latin1");
    return cache.get(key) ?? remember(cache, key, parse(pem));
  };
}

interface ShimCreator {
  mspid: string;
  idBytes: Uint8Array;
}

interface ClientIdentityFields {
  stub: unknown;
  mspId: string;
  idBytes: Uint8Array;
  id: string;
  attrs: Record<string, string>;
}

type ClientIdentityCtor = new (stub: { getCreator(): ShimCreator }) => ClientIdentityFields;

/**
 * Every transaction gets a new ClientIdentity: the creator's PEM decoded, normalised with a regular
 * expression, its subject and issuer formatted and its attribute extension parsed as JSON — the same
 * result for the same creator. Its fields (`mspId`, `idBytes`, `id`, `attrs`) are cached by the creator's
 * MSP and certificate bytes; each transaction still gets its own object (and its own copy of `attrs`),
 * and a creator whose certificate does not parse still throws from the original constructor.
 */
function cacheClientIdentities(): void {
  const chaincode = requireFromShim("./lib/chaincode.js") as { ClientIdentity: ClientIdentityCtor };
  const Original = chaincode.ClientIdentity;
  const cache = new Map<string, { id: string; attrs: Record<string, string> }>();
  function ClientIdentity(stub: { getCreator(): ShimCreator }): ClientIdentityFields {
    const creator = stub.getCreator();
    const idBytes = creator.idBytes;
    const key = `${creator.mspid}\n${Buffer.from(idBytes.buffer, idBytes.byteOffset, idBytes.byteLength).toString("latin1")}`;
    let known = cache.get(key);
    if (!known) {
      const built = new Original(stub);
      known = remember(cache, key, { id: built.id, attrs: { ...built.attrs } });
    }
    const identity = Object.create(Original.prototype) as ClientIdentityFields;
    identity.stub = stub;
    identity.mspId = creator.mspid;
    identity.idBytes = idBytes;
    identity.id = known.id;
    identity.attrs = { ...known.attrs };
    return identity;
  }
  ClientIdentity.prototype = Original.prototype;
  chaincode.ClientIdentity = ClientIdentity as unknown as ClientIdentityCtor;
}

interface WinstonLogger {
  level: string;
  levels: Record<string, number>;
  write(info: Record<symbol, string>, ...rest: unknown[]): boolean;
}

/**
 * fabric-shim and fabric-contract-api log several debug lines per transaction; winston pushes each
 * through its stream and formats it (timestamp, metadata, colours) before its transports drop those
 * below the level. Messages below the logger's level are dropped before they enter the stream instead.
 * The same lines are printed.
 */
function dropLogsBelowLevelBeforeWriting(): void {
  const winston = requireFromShim("winston") as { Logger: { prototype: WinstonLogger } };
  const prototype = winston.Logger.prototype;
  const write = prototype.write;
  const LEVEL = Symbol.for("level");
  prototype.write = function (this: WinstonLogger, info, ...rest) {
    const threshold = this.levels[this.level];
    const level = this.levels[info?.[LEVEL] ?? ""];
    // fabric maps CRITICAL to "fatal", which is no winston level: nothing passes it.
    if (threshold === undefined || (level !== undefined && level > threshold)) return true;
    return write.call(this, info, ...rest);
  };
}

interface ParameterMetadata {
  name?: string;
  schema: { type?: string; $ref?: string };
}

interface ShimLogger {
  debug(message: string): void;
  error(message: string): void;
  isDebugEnabled(): boolean;
}

type Validator = ((data: unknown) => boolean) & { errors?: { message?: string }[] | null };

interface DataMarshall {
  components: unknown;
  ajv: { compile(schema: object): Validator };
  fromWireBuffer(buffer: Uint8Array, schema: object, loggerPrefix: string): { value: unknown; validateData: unknown };
  handleParameters(fn: { parameters?: ParameterMetadata[] }, parameters: Uint8Array[], loggerPrefix: string): unknown[];
}

/**
 * fabric-shim's DataMarshall.handleParameters builds, for every argument of every transaction, a JSON
 * schema holding all the contract's components, has ajv look its compiled validator up by a stable
 * stringification of that schema, and formats four debug lines (one `util.inspect`, three
 * `JSON.stringify` of the schema and data) whatever the log level. This is the same function with the
 * schema and its validator built once per declared parameter, and the debug lines formatted only when
 * debug logging is on. Arguments are decoded and validated exactly as before, with the same errors.
 */
function compileParameterSchemasOnce(): void {
  const DataMarshall = requireFromShim("./lib/contract-spi/datamarshall.js") as {
    prototype: DataMarshall;
  };
  const Logger = requireFromShim("./lib/logger.js") as { getLogger(name: string): ShimLogger };
  // The module's own logger (fabric-shim keeps one per name); the level it was created with is kept.
  const logger = Logger.getLogger("contracts-spi/datamarshall.js");
  const compiled = new WeakMap<DataMarshall, WeakMap<ParameterMetadata, { schema: object; validate: Validator }>>();

  DataMarshall.prototype.handleParameters = function (this: DataMarshall, fn, parameters, loggerPrefix) {
    const expectedParams = fn.parameters;
    if (!expectedParams) return parameters.map((parameter) => parameter.toString());
    if (expectedParams.length !== parameters.length) {
      const message = `Expected ${expectedParams.length} parameters, but ${parameters.length} have been supplied`;
      logger.error(`${loggerPrefix} ${message}`);
      throw new Error(message);
    }
    let validators = compiled.get(this);
    if (!validators) {
      validators = new WeakMap();
      compiled.set(this, validators);
    }
    const debug = logger.isDebugEnabled();
    const values: unknown[] = [];
    for (let i = 0; i < expectedParams.length; i++) {
      const supplied = parameters[i] as Uint8Array;
      const expected = expectedParams[i] as ParameterMetadata;
      if (debug) {
        logger.debug(`${loggerPrefix} Expected parameter ${JSON.stringify(expected)}`);
        logger.debug(`${loggerPrefix} Supplied parameter ${inspect(supplied)}`);
      }
      const cached = validators.get(expected);
      let schema: object;
      let validate: Validator;
      if (cached) ({ schema, validate } = cached);
      else {
        schema = { properties: { prop: expected.schema }, components: { schemas: this.components } };
        if (!expected.schema.type && !expected.schema.$ref) {
          throw new Error(`Incorrect type information ${JSON.stringify(expected.schema)}`);
        }
        validate = this.ajv.compile(schema);
        // The JSON serializer adds `type: "object"` to a referenced component when it decodes an argument,
        // which changes what a schema with a $ref compiles to: those are compiled per call, as before.
        if (!JSON.stringify(expected.schema).includes('"$ref"')) validators.set(expected, { schema, validate });
      }
      const { value, validateData } = this.fromWireBuffer(supplied, schema, loggerPrefix);
      if (debug) {
        logger.debug(`${JSON.stringify(validateData)}`);
        logger.debug(`${JSON.stringify(schema)}`);
      }
      if (!validate({ prop: validateData })) {
        const errors = JSON.stringify((validate.errors ?? []).map((error) => error.message));
        if (debug) logger.debug(`${loggerPrefix} ${errors}`);
        throw new Error(`Unable to validate parameter due to ${errors}`);
      }
      values.push(value);
    }
    if (debug) logger.debug(`${loggerPrefix} Processed params ${values}`);
    return values;
  };
}
