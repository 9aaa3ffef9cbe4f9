import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../api/config';

describe('configuration', () => {
  test('uses the embedded defaults', () => {
    const config = loadConfig({});

    expect(config.port).toBe(4321);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databasePath).toBe('data/msix-assist.sqlite');
    expect(config.siteUrl).toBe('http://localhost:4321');
    expect(config.buildOnStart).toBe(true);
  });

  test('derives SITE_URL from PORT and trims a trailing slash', () => {
    expect(loadConfig({ PORT: '8080' }).siteUrl).toBe('http://localhost:8080');
    expect(loadConfig({ SITE_URL: 'https://portal.example.org/' }).siteUrl).toBe('https://portal.example.org');
  });

  test('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(4321);
  });

  test.each([
    ['PORT', '70000', 'a whole number from 0 to 65535 (0 picks any free port)'],
    ['LOG_LEVEL', 'verbose', 'one of fatal, error, warn, info, debug, trace, silent'],
    ['SITE_URL', 'portal.example.org', 'the public address of the site'],
    ['BUILD_ON_START', 'yes', 'true or false'],
  ])('rejects %s=%s naming the allowed values', (name, value, allowed) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(
      `${name} is "${value}", which is not valid; expected ${allowed}`,
    );
  });

  test('rejects unreadable BUSINESS_HOURS at start', () => {
    expect(() => loadConfig({ BUSINESS_HOURS: 'weekdays nine to five' })).toThrow(ConfigError);
    expect(() => loadConfig({ BUSINESS_HOURS: 'weekdays nine to five' })).toThrow(
      'BUSINESS_HOURS is "weekdays nine to five", which is not valid',
    );
  });

  test('reads the support desk settings', () => {
    const config = loadConfig({ INBOUND_SMTP: 'false', BUSINESS_HOURS: 'Mon-Thu 07:30-18:00' });

    expect(config.inboundSmtp).toBeUndefined();
    expect(config.businessHours).toBe('Mon-Thu 07:30-18:00');
    expect(loadConfig({}).inboundSmtp).toEqual({ host: '127.0.0.1', port: 2525 });
  });

  test('lists every invalid variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT[\s\S]*LOG_LEVEL/);
  });
});

describe('configuration secrets', () => {
  test('hides an invalid SMTP_URL value', () => {
    expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2hunter2@mail.example.org' })).toThrow(
      'SMTP_URL is (value hidden because it may hold a password), which is not valid',
    );
    expect(() => loadConfig({ SMTP_URL: 'http://user:hunter2hunter2@mail.example.org' })).not.toThrow(/hunter2/);
  });
});
