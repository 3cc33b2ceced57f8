/**
 * The row of a statement that always answers one (INSERT ... RETURNING, an
 * UPDATE ... RETURNING of a row locked before it): none at all is a bug, and
 * this says so instead of reading a property of undefined.
 */
export function onlyRow<Row>(result: { rows: Row[] }): Row {
  const row = result.rows[0];
  if (row === undefined) throw new Error('a statement that always answers one row answered none');
  return row;
}
