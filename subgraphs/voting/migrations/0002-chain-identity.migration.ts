import { Migration } from "@mikro-orm/migrations";

/** The chain this service's checkpoints follow (channel, block-0 hash, a passed block's hash): issue 24. */
export class ChainIdentity extends Migration {
  override up(): void | Promise<void> {
    this.addSql(
      "create table `chain_identity` (`name` varchar(100) not null, `channel` varchar(250) not null, `genesis_hash` varchar(64) not null, `block_number` bigint null, `block_hash` varchar(64) null, `updated_at` datetime not null, primary key (`name`)) default character set utf8mb4 engine = InnoDB;",
    );
  }

  override down(): void | Promise<void> {
    this.addSql("drop table if exists `chain_identity`;");
  }
}
