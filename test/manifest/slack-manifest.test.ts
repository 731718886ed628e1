import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

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

  it('has the global shortcut that opens the request wizard', () => {
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({
        name: 'Request Asset Transfer',
        type: 'global',
        callback_id: 'request_transfer',
      }),
    );
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
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      [
        'chat:write',
        'commands',
        'files:write',
        'im:history',
        'im:write',
        'users:read',
        'users:read.email',
      ].sort(),
    );
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
  });

  it('runs over HTTP by default, without token rotation', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(false);
    expect(manifest.settings.token_rotation_enabled).toBe(false);
  });
});
