/**
 * Names for the statements that run on every request (the `prepared()` queries and the data
 * generation read), so that PostgreSQL parses and plans each once per connection and later
 * only binds and executes it (the extended protocol's named statements). Without a name, the
 * backend parses and plans every statement again: for a stock item's instance, a join with
 * half a dozen correlated subqueries, that costs more than running it, on the same two cores
 * as the server.
 *
 * Only fixed statements are named: a name lives as long as its connection, so naming the
 * statements built per request (filters, lists) would grow every connection without bound.
 * The set here is bounded by the code: each `prepared()` query keeps at most a few dozen
 * shapes (db/prepared.ts). SQLite needs none of this: its driver keeps prepared statements
 * by SQL text (db/connection.ts).
 */
const names = new Map<string, string>();

/** Marks `sql` as a fixed statement: PostgreSQL connections prepare it once, by name. */
export function nameStatement(sql: string): void {
  if (!names.has(sql)) names.set(sql, `stockscan_${names.size + 1}`);
}

/** The name of a fixed statement, or undefined for any other SQL. */
export function statementName(sql: string): string | undefined {
  return names.get(sql);
}
