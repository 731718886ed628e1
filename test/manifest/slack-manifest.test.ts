import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { SLACK, startSlack } from '../slack/harness.js';

// The manifest is a YAML document people paste into Slack; read it as Slack would, as plain data.
interface SlackManifest {
  _metadata: { major_version: number };
  display_information: { name: string; description: string; long_description: string };
  features: {
    app_home: {
      home_tab_enabled: boolean;
      messages_tab_enabled: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    bot_user: { display_name: string };
    slash_commands: { command: string; url: string; description: string; usage_hint: string }[];
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: {
    event_subscriptions: { request_url: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url: string; message_menu_options_url: string };
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

const EVENTS_URL = 'https://example.com/slack/events';

/**
 * The bot scopes each Web API method needs, as Slack's method reference gives them. Views need none; the
 * files upload helper calls files.getUploadURLExternal and files.completeUploadExternal.
 */
const SCOPE_OF_METHOD: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'conversations.open': ['im:write'],
  'users.info': ['users:read'],
  'users.lookupByEmail': ['users:read', 'users:read.email'],
  'views.open': [],
  'views.push': [],
  'views.update': [],
  'views.publish': [],
  filesUploadV2: ['files:write'],
  // A file of references shared with the bot: its name, size and private download URL.
  'files.info': ['files:read'],
  // `doctor`: the compliance channel exists and the bot is in it, public or private.
  'conversations.info': ['channels:read', 'groups:read'],
  'auth.test': [],
};

/** The bot scopes each subscribed event needs. */
const SCOPE_OF_EVENT: Readonly<Record<string, readonly string[]>> = {
  'message.im': ['im:history'],
  app_home_opened: [],
};

/**
 * Every Slack Web API method the Slack adapter's code, and `doctor`'s Slack checks, call
 * (`client.chat.postMessage(…)`, …).
 */
function webApiMethodsCalled(): string[] {
  const dir = fileURLToPath(new URL('../../adapters/slack/', import.meta.url));
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
  files.push(fileURLToPath(new URL('../../adapters/cli/doctor-slack.ts', import.meta.url)));
  const found = new Set<string>();
  for (const file of files) {
    const code = readFileSync(file, 'utf8');
    for (const call of code.matchAll(/\bclient\.([a-z]+\.[a-zA-Z]+|filesUploadV2)\(/g)) found.add(call[1]!);
  }
  return [...found].sort();
}
const manifest = load(
  readFileSync(new URL('../../manifest/slack.yaml', import.meta.url), 'utf8'),
) as SlackManifest;

describe('Slack app manifest', () => {
  it('targets a current manifest schema', () => {
    expect([1, 2]).toContain(manifest._metadata.major_version);
  });

  it('names the app and its bot user', () => {
    expect(manifest.display_information.name).toBe('Asset Transfer Bot');
    expect(manifest.features.bot_user.display_name).toBe('Asset Transfer Bot');
    // Slack refuses a long description outside 174–4,000 characters and a short one over 140.
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(174);
    expect(manifest.display_information.long_description.length).toBeLessThanOrEqual(4000);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
  });

  it('enables the Home tab (landing page) and the Messages tab (direct messages)', () => {
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).not.toBe(true);
  });

  it('declares /transfer at the one request URL', () => {
    expect(manifest.features.slash_commands).toHaveLength(1);
    const [command] = manifest.features.slash_commands;
    expect(command?.command).toBe('/transfer');
    expect(command?.url).toBe(EVENTS_URL);
    expect(command?.usage_hint).toContain('help');
    expect(command?.description).not.toBe('');
  });

  it('has the global shortcut, and the bot opens the request wizard when Slack sends it', async () => {
    const [shortcut] = manifest.features.shortcuts;
    expect(manifest.features.shortcuts).toHaveLength(1);
    expect(shortcut).toMatchObject({ name: 'Request Asset Transfer', type: 'global' });
    const h = await startSlack('pglite');
    try {
      const since = h.api.count();
      await h.interact({
        type: 'shortcut',
        callback_id: shortcut!.callback_id,
        user: { id: SLACK.alice.id },
        trigger_id: 'trigger-from-manifest',
        action_ts: '1',
      });
      const opened = await h.api.waitFor('views.open', () => true, { since });
      expect(opened.args.trigger_id).toBe('trigger-from-manifest');
      expect(JSON.stringify(opened.args.view)).toContain('wizard');
    } finally {
      await h.close();
    }
  });

  it('sends interactivity, external-select options and events to /slack/events', () => {
    expect(manifest.settings.interactivity).toEqual(
      expect.objectContaining({
        is_enabled: true,
        request_url: EVENTS_URL,
        message_menu_options_url: EVENTS_URL,
      }),
    );
    expect(manifest.settings.event_subscriptions.request_url).toBe(EVENTS_URL);
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([
      'app_home_opened',
      'message.im',
    ]);
  });

  it('asks for exactly the bot scopes the bot uses, and no user scopes', () => {
    const methods = webApiMethodsCalled();
    // Every method the bot calls is one this table knows the scope of: a new call means a look at the manifest.
    expect(methods.filter((method) => !(method in SCOPE_OF_METHOD))).toEqual([]);
    const needed = new Set<string>(methods.flatMap((method) => SCOPE_OF_METHOD[method] ?? []));
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      for (const scope of SCOPE_OF_EVENT[event] ?? []) needed.add(scope);
    }
    if (manifest.features.slash_commands.length + manifest.features.shortcuts.length > 0)
      needed.add('commands');
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...needed].sort());
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('runs over HTTP by default, without token rotation', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });
});
