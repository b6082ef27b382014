// The crawler keeps /proc descriptors open between crawls (procFiles.ts); disposing of it closes them,
// so an extension host that stops crawling holds none.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ProcCrawler } from '../../../src/core/monitor/procTable';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('ProcCrawler.dispose', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  it('closes the descriptors its crawls kept, and a later crawl still reads', () => {
    const crawler = new ProcCrawler();
    const before = openDescriptors();
    const first = crawler.crawl();
    assert.ok(openDescriptors() > before, 'a crawl keeps descriptors for the next one');
    crawler.dispose();
    assert.equal(openDescriptors(), before, 'all of them closed');
    assert.ok(crawler.crawl().rows.size >= Math.min(first.rows.size, 2), 'a crawl after dispose reads /proc again');
    crawler.dispose();
  });
});
