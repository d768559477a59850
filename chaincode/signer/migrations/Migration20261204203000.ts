import { Migration } from "@mikro-orm/migrations";

/** `signed_tx` rows of decided commands are deleted by age (decision 0206). */
export class Migration20261204203000 extends Migration {
  override name = "Migration20261204203000";

  override up(): void | Promise<void> {
    this.addSql("alter table `signed_tx` add index `signed_tx_updated_at_idx` (`updated_at`);");
  }

  override down(): void | Promise<void> {
    this.addSql("alter table `signed_tx` drop index `signed_tx_updated_at_idx`;");
  }
}
