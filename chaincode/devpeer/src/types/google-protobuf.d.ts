// google-protobuf ships no typings; the devpeer only needs the well-known Timestamp.
declare module "google-protobuf/google/protobuf/timestamp_pb.js" {
  export class Timestamp {
    static fromDate(date: Date): Timestamp;
    toDate(): Date;
    getSeconds(): number;
    getNanos(): number;
  }
}

declare module "google-protobuf/google/protobuf/any_pb.js" {
  export class Any {
    setTypeUrl(value: string): void;
    setValue(value: Uint8Array): void;
  }
}
