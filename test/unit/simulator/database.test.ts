import { describe, expect, it } from 'vitest';
import { SimDatabase } from '../../../src/main/simulator/db/database';
import { isSysId } from '../../../src/main/simulator/db/ids';

describe('SimDatabase', () => {
  it('gives every row the system fields and the empty value of missing fields', () => {
    const db = new SimDatabase();
    const row = db.insert('http_connection', { name: 'c', bogus: 'x' }, { user: 'admin', domain: 'd1' });
    expect(isSysId(row.sys_id ?? '')).toBe(true);
    expect(row).toMatchObject({
      sys_class_name: 'http_connection',
      sys_created_by: 'admin',
      sys_mod_count: '0',
      sys_domain: 'd1',
      active: 'false',
      connection_url: '',
    });
    expect(row).not.toHaveProperty('bogus');
  });

  it('returns child-table rows from the parent table (inheritance)', () => {
    const db = new SimDatabase();
    const http = db.insert('http_connection', { name: 'h' });
    db.insert('sys_connection', { name: 'base' });
    expect(db.rows('sys_connection').map((r) => r.name)).toEqual(['base', 'h']);
    expect(db.rows('http_connection').map((r) => r.name)).toEqual(['h']);
    expect(db.get('sys_connection', http.sys_id ?? '')?.sys_class_name).toBe('http_connection');
  });

  it('updates only dictionary fields, bumps sys_mod_count, never changes sys_class_name', () => {
    const db = new SimDatabase();
    const row = db.insert('oauth_2_0_credentials', { name: 'a' });
    const next = db.update('discovery_credentials', row.sys_id ?? '', {
      name: 'b',
      oauth_entity_profile: 'not-a-base-field',
      sys_class_name: 'x',
    });
    expect(next).toMatchObject({ name: 'b', sys_mod_count: '1', sys_class_name: 'oauth_2_0_credentials' });
    expect(next?.oauth_entity_profile).toBe('');
  });

  it('deletes, dumps and loads, and notifies on every change', () => {
    const db = new SimDatabase();
    let changes = 0;
    db.onChange(() => (changes += 1));
    const a = db.insert('sys_alias', { name: 'a' });
    db.insert('sys_alias', { name: 'b' });
    expect(db.delete('sys_alias', a.sys_id ?? '')).toBe(true);
    expect(db.delete('sys_alias', a.sys_id ?? '')).toBe(false);
    const copy = new SimDatabase();
    copy.load(db.dump());
    expect(copy.rows('sys_alias').map((r) => r.name)).toEqual(['b']);
    expect(changes).toBe(3);
  });

  it('refuses unknown tables and duplicate sys_ids', () => {
    const db = new SimDatabase();
    expect(() => db.insert('nope', {})).toThrow();
    const row = db.insert('sys_alias', {});
    expect(() => db.insert('sys_alias', { sys_id: row.sys_id ?? '' })).toThrow();
  });
});
