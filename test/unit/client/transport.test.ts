import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTransport, loadExtraCertificates } from '../../../src/main/servicenow/transport';

const CA_FILE = fileURLToPath(new URL('../../fixtures/tls/ca.pem', import.meta.url));
const CA = readFileSync(CA_FILE, 'utf8').trim();

describe('extra CA certificates', () => {
  it('are merged with the bundled roots, never replacing them', () => {
    const transport = createTransport('https://acme.service-now.com', { SPOKESMITH_EXTRA_CA_CERTS: CA_FILE });
    try {
      const ca = transport.certificateAuthority ?? [];
      expect(ca).toContain(CA);
      expect(ca).toEqual(expect.arrayContaining([...rootCertificates]));
    } finally {
      transport.close();
    }
  });

  it('leave Node defaults alone when none are configured', () => {
    const transport = createTransport('https://acme.service-now.com', {});
    expect(transport.certificateAuthority).toBeUndefined();
    transport.close();
  });

  it('read both variables, several files, and report unusable ones', () => {
    const { certs, problems } = loadExtraCertificates({
      NODE_EXTRA_CA_CERTS: CA_FILE,
      SPOKESMITH_EXTRA_CA_CERTS: ['/nonexistent.pem', CA_FILE].join(process.platform === 'win32' ? ';' : ':'),
    });
    expect(certs).toEqual([CA, CA]);
    expect(problems).toEqual(['/nonexistent.pem: ENOENT']);
  });

  it('report a file without any certificate', () => {
    const { certs, problems } = loadExtraCertificates({
      SPOKESMITH_EXTRA_CA_CERTS: fileURLToPath(import.meta.url),
    });
    expect(certs).toEqual([]);
    expect(problems[0]).toMatch(/no PEM certificate/);
  });
});
