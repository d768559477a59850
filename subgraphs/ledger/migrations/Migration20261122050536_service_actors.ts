import { Migration } from "@mikro-orm/migrations";

export class Migration20261122050536_service_actors extends Migration {
  override name = "Migration20261122050536_service_actors";

  override up(): void | Promise<void> {
    this.addSql(`alter table \`chain_transactions\` modify \`creator_id\` varchar(128) not null;`);

    this.addSql(`alter table \`entry_activity\` modify \`actor_id\` varchar(128) not null;`);

    this.addSql(`alter table \`ledger_entries\` modify \`decided_by\` varchar(128) null;`);

    this.addSql(`alter table \`membership_requests\` modify \`approved_by\` varchar(128) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table \`chain_transactions\` modify \`creator_id\` varchar(36) not null;`);

    this.addSql(`alter table \`entry_activity\` modify \`actor_id\` varchar(36) not null;`);

    this.addSql(`alter table \`ledger_entries\` modify \`decided_by\` varchar(36) null;`);

    this.addSql(`alter table \`membership_requests\` modify \`approved_by\` varchar(36) null;`);
  }
}
