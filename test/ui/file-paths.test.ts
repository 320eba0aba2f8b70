// The file manager's own path checks: it never asks the panel for a path with "..", control characters or a name
// that is not one name; the panel refuses them again (test/files).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archiveStem, crumbsOf, isArchive, joinPath, nameProblem, normalizeDir, parentOf, pathProblem } from '../../src/ui/pages/servers/files/file-paths.ts';

test('folders are normalized to one leading slash, and joined and split at "/"', () => {
  assert.equal(normalizeDir(''), '/');
  assert.equal(normalizeDir('//plugins/./x//'), '/plugins/x');
  assert.equal(joinPath('/', 'a'), '/a');
  assert.equal(joinPath('/a', 'b'), '/a/b');
  assert.equal(parentOf('/a/b'), '/a');
  assert.equal(parentOf('/a'), '/');
  assert.deepEqual(crumbsOf('/a/b'), [
    { name: 'Files', path: '/' },
    { name: 'a', path: '/a' },
    { name: 'b', path: '/a/b' },
  ]);
});

test('names: one name only, no "." or "..", no control characters or backslash, at most 255 bytes', () => {
  assert.equal(nameProblem('server.properties'), null);
  assert.equal(nameProblem('ünïcødé ok.txt'), null);
  for (const bad of ['', '.', '..', 'a/b', 'a\u0000b', 'a\nb', 'a\\b', 'é'.repeat(128)]) assert.notEqual(nameProblem(bad), null, JSON.stringify(bad));
  assert.equal(pathProblem('/plugins/a.yml'), null);
  for (const bad of ['/', '/../etc/passwd', 'a/../../b', '/a/./b', '/a/\u0001']) assert.notEqual(pathProblem(bad), null, JSON.stringify(bad));
});

test('archives are known by their extension, and extract into a folder named after them', () => {
  for (const name of ['a.zip', 'a.tar.gz', 'A.TGZ', 'a.tar']) assert.equal(isArchive(name), true, name);
  for (const name of ['a.gz', 'zip', 'a.zip.txt']) assert.equal(isArchive(name), false, name);
  assert.equal(archiveStem('world.tar.gz'), 'world');
  assert.equal(archiveStem('.zip'), 'extracted');
});
