import { Migration } from "@mikro-orm/migrations";

/** Ballots with their tallies and finalizer lease, electorates, votes, members and their certificates, checkpoint, kit tables. */
export class InitialSchema extends Migration {
  override up(): void {
    this.addSql(
      "create table `ballot` (`id` varchar(36) not null, `org_id` varchar(36) not null, `entry_id` varchar(36) not null, `opens_at` datetime(3) not null, `closes_at` datetime(3) not null, `status` enum('OPEN','APPROVED','REJECTED') not null, `quorum_bps` int not null, `threshold_bps` int not null, `eligible` int not null, `approve` int not null default 0, `reject` int not null default 0, `tally_updated_at` datetime(3) not null, `opened_tx_id` varchar(64) not null, `finalized_at` datetime(3) null, `finalized_tx_id` varchar(64) null, `lease_owner` varchar(64) null, `lease_until` datetime(3) null, `finalize_attempts` int not null default 0, primary key (`id`)) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql("alter table `ballot` add index `ballot_org_idx` (`org_id`)");
    this.addSql("alter table `ballot` add unique `ballot_entry_unique` (`entry_id`)");
    this.addSql("alter table `ballot` add index `ballot_status_closes_idx` (`status`, `closes_at`)");
    this.addSql(
      "create table `ballot_voter` (`ballot_id` varchar(36) not null, `user_id` varchar(36) not null, `choice` enum('APPROVE','REJECT') null, `tx_id` varchar(64) null, `voted_at` datetime(3) null, primary key (`ballot_id`, `user_id`)) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql(
      "create table `chain_checkpoint` (`name` varchar(100) not null, `block_number` bigint not null, `tx_id` varchar(64) null, `updated_at` datetime not null, primary key (`name`)) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql(
      "create table `member_identity` (`user_id` varchar(128) not null, `msp_id` varchar(64) not null, `cert_pem` text not null, `enrolled_at` datetime(3) not null, primary key (`user_id`)) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql(
      "create table `org_member` (`org_id` varchar(36) not null, `user_id` varchar(36) not null, `since` datetime(3) not null, primary key (`org_id`, `user_id`)) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql(
      "create table `outbox` (`id` bigint unsigned not null auto_increment primary key, `domain` varchar(64) not null, `type` varchar(128) not null, `command_id` varchar(128) not null, `payload` text not null, `created_at` datetime(3) not null, `relayed_at` datetime(3) null, `stream_id` varchar(32) null) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql("alter table `outbox` add unique `outbox_command_id_unique` (`command_id`)");
    this.addSql("alter table `outbox` add index `outbox_unrelayed_idx` (`relayed_at`, `id`)");
    this.addSql(
      "create table `processed_command` (`id` bigint unsigned not null auto_increment primary key, `consumer_group` varchar(128) not null, `command_id` varchar(128) not null, `processed_at` datetime(3) not null) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql(
      "alter table `processed_command` add unique `processed_command_group_id_unique` (`consumer_group`, `command_id`)",
    );
    this.addSql(
      "create table `vote` (`id` bigint unsigned not null auto_increment primary key, `tx_id` varchar(64) not null, `ballot_id` varchar(36) not null, `user_id` varchar(36) not null, `choice` enum('APPROVE','REJECT') not null, `status` enum('PENDING','COMMITTED','REJECTED') not null, `created_at` datetime(3) not null, `committed_at` datetime(3) null, `block_number` bigint null) default character set utf8mb4 engine = InnoDB",
    );
    this.addSql("alter table `vote` add unique `vote_tx_unique` (`tx_id`)");
    this.addSql("alter table `vote` add index `vote_ballot_user_idx` (`ballot_id`, `user_id`, `id`)");
  }
}
