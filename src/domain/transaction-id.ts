/** Letters and digits that cannot be misread for one another (no 0/O, 1/I/L, U). */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `AT-7F3K9QJ2`: random, unique (the database's primary key checks), easy to read out and type. */
export function newTransactionId(random: (max: number) => number): string {
  let id = 'AT-';
  for (let i = 0; i < 8; i++) id += ALPHABET[random(ALPHABET.length)];
  return id;
}
