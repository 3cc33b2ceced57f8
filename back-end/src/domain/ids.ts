import { v7 } from 'uuid';

/**
 * The id of a row a sale adds: a UUID version 7 (RFC 9562), whose first 48
 * bits are the time in ms, so each insert goes beside the last one in the
 * primary key and tab_id indexes instead of on a random page of them, and a
 * sale costs the same after a year of sales as on the first night (see
 * migration 0007, which gives rows the database ids itself the same).
 */
export function newRowId(): string {
  return v7();
}
