import { scryptSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { checkPassword, type PasswordContext } from '../api/auth/password-policy';
import { hashPassword, passwordHashNeedsUpgrade, verifyPassword } from '../api/auth/passwords';

const stateUser: PasswordContext = { role: 'state_user' };
const admin: PasswordContext = { role: 'admin' };
const jane: PasswordContext = { role: 'state_user', email: 'jane.doe@tea.texas.gov', displayName: 'Jane Doe' };
const maria: PasswordContext = {
  role: 'state_coordinator',
  email: 'mfernandez@cde.ca.gov',
  displayName: 'María Fernández López',
};
const contexts = { jane, maria };

/** A hash made with N=2^14, below the current N=2^15, as an account created earlier would have. */
const olderSalt = Buffer.alloc(16, 7);
const olderKey = scryptSync('quiet lantern orbit 42', olderSalt, 64, { N: 2 ** 14, r: 8, p: 1 });
const olderHash = `scrypt$16384$8$1$${olderSalt.toString('base64')}$${olderKey.toString('base64')}`;

/** ASCII text with no list words, sequences or repeats, so every prefix of 12 to 128 characters passes the check. */
const randomText =
  'Vk7q Rm9x Lp2w Zt5n Hc8b Jd3f Qy6g Ws4k Xe1r Bu0v Nh7j Mt2p Gz9c Fk5s Dq8l Yw3n Tb6h Cx4m Pj1g Ru0d ' +
  'Ke7v Lz2q Hs9w Nf5t Qb8y Gm3x Wc6k Dp4j Zr1h';

function randomPrefix(length: number): string {
  expect(randomText.length).toBeGreaterThanOrEqual(length);
  return randomText.slice(0, length);
}

describe('password length', () => {
  test.each([
    ['state_user', 11, 'too_short'],
    ['state_user', 12, null],
    ['state_coordinator', 11, 'too_short'],
    ['state_coordinator', 12, null],
    ['agent', 11, 'too_short'],
    ['agent', 12, null],
    ['admin', 14, 'too_short'],
    ['admin', 15, null],
    ['state_user', 64, null],
    ['state_user', 128, null],
    ['admin', 128, null],
    ['state_user', 129, 'too_long'],
    ['admin', 129, 'too_long'],
  ] as const)('%s with %i characters gives %s', (role, length, code) => {
    expect(checkPassword(randomPrefix(length), { role })?.code ?? null).toBe(code);
  });

  test('too short message names count and minimum', () => {
    expect(checkPassword(randomPrefix(14), admin)?.message).toBe(
      'Your password has 14 characters, but admins need at least 15. ' +
        'A phrase of several words is easier to remember.',
    );
    expect(checkPassword(randomPrefix(11), stateUser)?.message).toContain(
      'has 11 characters, but it needs at least 12',
    );
    expect(checkPassword('x', stateUser)?.message).toContain('has 1 character,');
    expect(checkPassword('', stateUser)?.message).toContain('has 0 characters,');
  });

  test('too long message names the maximum', () => {
    expect(checkPassword(randomPrefix(129), stateUser)?.message).toBe(
      'Your password is longer than the maximum of 128 characters. Choose a shorter one.',
    );
  });

  test('very long input is too long', () => {
    expect(checkPassword('Vk7q Rm9x '.repeat(1000), stateUser)?.code).toBe('too_long');
  });

  test('emoji count as one character', () => {
    const elevenCharacters = 'Vk7q Rm9xL🦊';
    const twelveCharacters = 'Vk7q Rm9xLp🦊';

    expect(elevenCharacters.length).toBe(12);
    expect(checkPassword(elevenCharacters, stateUser)?.message).toContain('has 11 characters');
    expect(checkPassword(twelveCharacters, stateUser)).toBeNull();
    expect(checkPassword(randomPrefix(127) + '🦊', stateUser)).toBeNull();
    expect(checkPassword(randomPrefix(128) + '🦊', stateUser)?.code).toBe('too_long');
  });

  test('spaces count as characters', () => {
    expect(checkPassword('Vk7q   Rm9x', stateUser)?.code).toBe('too_short');
    expect(checkPassword('Vk7q    Rm9x', stateUser)).toBeNull();
    expect(checkPassword(' Vk7q Rm9x L ', stateUser)).toBeNull();
  });

  test('length counts after NFKC', () => {
    // U+FB03 (ffi ligature) becomes three letters, and e + U+0301 becomes one é.
    expect('Vk7q Rm9x\uFB03'.length).toBe(10);
    expect(checkPassword('Vk7q Rm9x\uFB03', stateUser)).toBeNull();
    expect(checkPassword('Vk7q Rm9x Le\u0301', stateUser)).toBeNull();
    expect(checkPassword('Vk7q Rm9x e\u0301', stateUser)?.message).toContain('has 11 characters');
  });
});

describe('common passwords', () => {
  test.each([
    'password1234',
    'iloveyou2024!',
    'Football1987!',
    '!!sunshine2024',
    'Baseball#2023',
    'LetMeIn2024!!',
    'welcome12345',
    'Password12345!',
    'football01151985',
    'passwordpassword',
    'monkeymonkey12',
    'trustno1trustno1',
    'iloveyoumonkey',
    'dragonmaster99',
    'princess!!!!!!',
    'dragon123456789',
    'P@55w0rd1234',
    '$unsh1ne$unsh1ne',
    'Tru5tn01Tru5tn01',
    'M0nk3yD4nc3r!',
    '123456789012',
    '098765432109',
    'aaaaaaaaaaaa',
    '!!!!!!!!!!!!',
    '            ',
    '🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊🦊',
    'abcdefghijkl',
    'qwertyuiopas',
    'poiuytrewqlkj',
    '1q2w3e4r5t6y',
    '1qaz2wsx3edc',
    'qazwsxedcrfv',
    'zxcvbnm123456',
    '0987654321qwerty',
    'abcabcabcabc',
    '121212121212',
    'QWERTY123456!',
  ])('rejects %s', (password) => {
    expect(checkPassword(password, stateUser)?.code).toBe('common');
  });

  test('message says what to do and hides the password', () => {
    const problem = checkPassword('Football1987!', stateUser);

    expect(problem?.message).toContain('common or breached password');
    expect(problem?.message).toContain('Choose a phrase of several unrelated words');
    expect(problem?.message.toLowerCase()).not.toContain('football');
  });
});

describe('product words', () => {
  test.each([
    'MSIXassist2026!',
    'MigrantStudent#1',
    'Welcome2Msix!!',
    'msixmsixmsix',
    'MSIX-MSIX-MSIX',
    'M1gr@ntStud3nt',
    'Texas Migrant 2024',
    'CaliforniaStudents1!',
    'NewYorkRecords99',
    'TXmigrant2024!',
    'MSIXportal12345',
    'StudentRecordsExchange',
    'texas migrant student records',
    'texas83920174529',
    'MEPconsolidated1!',
    'love texas summer dreams ocean',
  ])('rejects %s', (password) => {
    expect(checkPassword(password, stateUser)?.code).toBe('product_words');
  });

  test('message names the kind of words', () => {
    expect(checkPassword('MSIXassist2026!', stateUser)?.message).toContain('words about MSIX');
  });
});

describe('personal details', () => {
  test.each([
    ['jane', 'jane.doe2026!!'],
    ['jane', 'JaneDoe!JaneDoe'],
    ['jane', 'doejane1985!!'],
    ['jane', 'Jane Doe 2025!'],
    ['jane', 'jdoe12345678'],
    ['jane', 'J4n3D03!J4n3D03!'],
    ['jane', 'janedoe+texas2024'],
    ['maria', 'Fernandez2024!!'],
    ['maria', 'mfernandez1985!'],
    ['maria', 'MariaLopez#2024'],
  ] as const)('%s: rejects %s', (person, password) => {
    expect(checkPassword(password, contexts[person])?.code).toBe('personal_details');
  });

  test('same password passes without context', () => {
    expect(checkPassword('jane.doe2026!!', stateUser)).toBeNull();
  });

  test('message mentions name or email', () => {
    expect(checkPassword('jane.doe2026!!', jane)?.message).toContain('your name or email address');
  });
});

describe('acceptable passwords', () => {
  test.each([
    'correct horse msix battery staple',
    'purple elephant dances quietly',
    'ridge maple cinder swan',
    'quiet lantern orbit 42',
    'Tr4in-Vapor-Quill',
    'Texas bluebonnets bloom in April',
    'sunshine dragon monkey summer',
    'jane prefers quiet mornings',
    'my migrant kids love algebra',
    'Vk7q2xRm9pLw',
    'Xk9#mQ2$vL7!z',
    'h8F@x2Lq!9Wz#rT4',
    'Ωμέγα λάμδα σίγμα',
    '봄바람 꽃잎 하늘 파도',
    'quiet 🦊 lantern 🌙 orbit',
  ])('accepts %s', (password) => {
    expect(checkPassword(password, jane)).toBeNull();
    expect(checkPassword(password, admin)?.code ?? null).toBe([...password].length >= 15 ? null : 'too_short');
  });
});

describe('password hashing', () => {
  test('hash round-trips', async () => {
    const hash = await hashPassword('correct horse msix battery staple');

    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/);
    expect(await verifyPassword('correct horse msix battery staple', hash)).toBe(true);
  });

  test('wrong password fails', async () => {
    const hash = await hashPassword('correct horse msix battery staple');

    expect(await verifyPassword('correct horse msix battery stapler', hash)).toBe(false);
    expect(await verifyPassword('Correct horse msix battery staple', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  test('two hashes of one password differ', async () => {
    const first = await hashPassword('quiet lantern orbit 42');
    const second = await hashPassword('quiet lantern orbit 42');

    expect(first).not.toBe(second);
    expect(first.split('$')[4]).not.toBe(second.split('$')[4]);
    expect(await verifyPassword('quiet lantern orbit 42', first)).toBe(true);
    expect(await verifyPassword('quiet lantern orbit 42', second)).toBe(true);
  });

  test('NFKC-equivalent passwords verify', async () => {
    const composed = await hashPassword('caf\u00e9 au lait \uFB01ne');

    expect(await verifyPassword('cafe\u0301 au lait fine', composed)).toBe(true);

    const fullWidth = await hashPassword('\uFF2D\uFF33\uFF29\uFF38 river stone');
    expect(await verifyPassword('MSIX river stone', fullWidth)).toBe(true);
  });

  test('older parameters still verify', async () => {
    expect(await verifyPassword('quiet lantern orbit 42', olderHash)).toBe(true);
    expect(await verifyPassword('quiet lantern orbit 43', olderHash)).toBe(false);
  });

  const [, , , , salt = '', key = ''] = olderHash.split('$');
  const shortKey = Buffer.alloc(8, 1).toString('base64');

  test.each([
    ['empty', ''],
    ['plain text', 'quiet lantern orbit 42'],
    ['other scheme', olderHash.replace(/^scrypt/, 'bcrypt')],
    ['missing field', `scrypt$16384$8$${salt}$${key}`],
    ['extra field', `${olderHash}$extra`],
    ['N not a power of two', `scrypt$16000$8$1$${salt}$${key}`],
    ['N of 1', `scrypt$1$8$1$${salt}$${key}`],
    ['N of 0', `scrypt$0$8$1$${salt}$${key}`],
    ['N with leading zero', `scrypt$016384$8$1$${salt}$${key}`],
    ['N beyond memory limit', `scrypt$1048576$8$1$${salt}$${key}`],
    ['negative r', `scrypt$16384$-8$1$${salt}$${key}`],
    ['r not a number', `scrypt$16384$eight$1$${salt}$${key}`],
    ['salt not base64', `scrypt$16384$8$1$not*base64$${key}`],
    ['salt empty', `scrypt$16384$8$1$$${key}`],
    ['key without padding', `scrypt$16384$8$1$${salt}$${key.replace(/=+$/, '')}`],
    ['key too short', `scrypt$16384$8$1$${salt}$${shortKey}`],
    ['trailing space', `${olderHash} `],
  ])('malformed hash (%s) returns false', async (_name, encoded) => {
    expect(await verifyPassword('quiet lantern orbit 42', encoded)).toBe(false);
  });

  test('needs upgrade below current parameters', async () => {
    const current = await hashPassword('quiet lantern orbit 42');
    const [, , , , currentSalt = '', currentKey = ''] = current.split('$');
    const shortSalt = Buffer.alloc(8, 3).toString('base64');
    const halfKey = Buffer.alloc(32, 3).toString('base64');

    expect(passwordHashNeedsUpgrade(current)).toBe(false);
    expect(passwordHashNeedsUpgrade(`scrypt$65536$8$1$${currentSalt}$${currentKey}`)).toBe(false);
    expect(passwordHashNeedsUpgrade(olderHash)).toBe(true);
    expect(passwordHashNeedsUpgrade(`scrypt$32768$4$1$${currentSalt}$${currentKey}`)).toBe(true);
    expect(passwordHashNeedsUpgrade(`scrypt$32768$8$1$${shortSalt}$${currentKey}`)).toBe(true);
    expect(passwordHashNeedsUpgrade(`scrypt$32768$8$1$${currentSalt}$${halfKey}`)).toBe(true);
    expect(passwordHashNeedsUpgrade('not a hash')).toBe(true);
  });
});
