import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile } from '../../server/src/languages/docker/parser';
import { baseTraits, copiesFrom, dockerModel, jsonForm, parseImageRef, variableAt, workdirAt } from '../../server/src/languages/docker/model/stages';
import { builtBinaryPath, envForGoCommand, goCommandSpan, goCommands, isCopiedIntoFinal, runScripts, stagesFeedingFinal } from '../../server/src/languages/docker/model/run';
import { parseShell } from '../../server/src/languages/docker/model/shell';

const model = (text: string) => dockerModel(parseDockerfile('/w/Dockerfile', text));
const at = (text: string, needle: string) => {
  const start = text.indexOf(needle);
  return { start, end: start + needle.length };
};

test('stages by name and index, ARG expansion with global defaults, final stage', () => {
  const m = model(
    [
      '# syntax=docker/dockerfile:1.7',
      'ARG GO_VERSION=1.22',
      'ARG RUNTIME=gcr.io/distroless/static-debian12:nonroot',
      'FROM golang:${GO_VERSION}-alpine AS Build',
      'FROM build AS test',
      'FROM ${RUNTIME}',
      '',
    ].join('\n'),
  );
  assert.equal(m.stages.length, 3);
  assert.equal(m.stageByRef('build'), m.stages[0]);
  assert.equal(m.stageByRef('1'), m.stages[1]);
  assert.equal(m.stages[1].parent, m.stages[0]);
  assert.equal(m.stages[0].image?.tag, '1.22-alpine');
  assert.equal(m.stages[1].image?.name, 'golang');
  assert.equal(m.final, m.stages[2]);
  assert.equal(m.final?.isFinal, true);
  assert.equal(m.final?.image?.registry, 'gcr.io');
  assert.equal(m.syntax?.value, 'docker/dockerfile:1.7');
  assert.equal(m.usesBuildKit, true);
  const t = baseTraits(m.stages[2]);
  assert.equal(t.noLibc, true);
  assert.equal(t.nonrootByDefault, true);
  assert.equal(t.hasShell, false);
  assert.equal(baseTraits(m.stages[0]).musl, true);
  assert.equal(baseTraits(m.stages[0]).golang, true);
});

test('image references: registry, repository, tag, digest', () => {
  assert.deepEqual(parseImageRef('localhost:5000/team/api:1.0@sha256:ab'), {
    text: 'localhost:5000/team/api:1.0@sha256:ab', registry: 'localhost:5000', repository: 'team/api', name: 'api', tag: '1.0', digest: 'sha256:ab', unresolved: false,
  });
  assert.equal(parseImageRef('docker.io/library/golang').repository, 'golang');
  assert.equal(parseImageRef('golang').tag, undefined);
  assert.equal(parseImageRef('${BASE}').unresolved, true);
  assert.equal(baseTraits(model('FROM scratch\n').stages[0]).scratch, true);
  assert.equal(baseTraits(model('FROM golang:1.22-bookworm\n').stages[0]).debian, true);
  assert.equal(baseTraits(model('FROM gcr.io/distroless/base-debian12\n').stages[0]).noLibc, false);
  assert.equal(baseTraits(model('FROM gcr.io/distroless/static:debug\n').stages[0]).hasShell, true);
});

test('variables: ENV, stage ARG with global default, parent ENV; WORKDIR', () => {
  const text = 'ARG CGO_ENABLED=0\nFROM golang:1.22 AS build\nARG CGO_ENABLED\nENV GOOS=linux\nWORKDIR /src\nWORKDIR app\nRUN go build\nFROM build\nRUN true\n';
  const m = model(text);
  const run = m.stages[0].instructions.find((i) => i.getKeyword() === 'RUN');
  assert.equal(variableAt(m, m.stages[0], run, 'CGO_ENABLED')?.value, '0');
  assert.equal(variableAt(m, m.stages[0], run, 'GOOS')?.value, 'linux');
  assert.equal(variableAt(m, m.stages[1], undefined, 'GOOS')?.kind, 'env');
  assert.equal(variableAt(m, m.stages[1], undefined, 'CGO_ENABLED'), undefined);
  assert.equal(workdirAt(m, m.stages[0], run), '/src/app');
  assert.equal(workdirAt(m, model('FROM golang:1.22\nRUN x\n').stages[0]), '/go');
});

test('go build: output resolved against WORKDIR, flags, inline/export/ENV/go env -w settings', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'WORKDIR /src',
    'RUN go env -w GOFLAGS=-mod=mod',
    'RUN --mount=type=cache,target=/root/.cache/go-build \\',
    '    # a comment inside the continuation',
    '    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o bin/api ./cmd/api',
    'RUN export GOOS=linux && go build -o=/out/ ./...',
    'RUN ["go", "build", "-o", "/app", "."]',
    'RUN <<EOF',
    'set -e',
    'env CGO_ENABLED=1 go build -o /srv/worker ./cmd/worker',
    'EOF',
    'FROM scratch',
    'COPY --from=build /src/bin/api /api',
    '',
  ].join('\n');
  const m = model(text);
  const builds = goCommands(m).filter((c) => c.sub === 'build');
  assert.deepEqual(builds.map((b) => b.output), ['/src/bin/api', '/out/', '/app', '/srv/worker']);
  assert.equal(builds[0].flags.get('trimpath'), true);
  const ld = builds[0].flags.get('ldflags');
  assert.equal(ld !== true && ld?.value, '-s -w');
  assert.deepEqual(envForGoCommand(m, builds[0], 'CGO_ENABLED')?.span, at(text, 'CGO_ENABLED=0'));
  assert.equal(envForGoCommand(m, builds[1], 'GOOS')?.via, 'export');
  assert.equal(envForGoCommand(m, builds[3], 'CGO_ENABLED')?.value, '1');
  assert.equal(envForGoCommand(m, builds[0], 'GOFLAGS')?.via, 'go-env');
  assert.equal(runScripts(m).filter((r) => r.isHeredoc).length, 1);
  assert.equal(copiesFrom(m, m.stages[1])[0].stage, m.stages[0]);
  assert.equal(stagesFeedingFinal(m).size, 2);
});

test('shell words keep offsets; shell features are named', () => {
  const text = 'RUN ./server --addr ":8080" && echo $HOME | tee x > /dev/null';
  const s = parseShell(text, 4, text.length);
  assert.equal(s.commands.length, 3);
  assert.deepEqual(s.commands[0].words.map((w) => w.value), ['./server', '--addr', ':8080']);
  assert.deepEqual(s.commands[0].words[2].span, at(text, '":8080"'));
  assert.equal(s.shellFeature, '"&&"');
  assert.deepEqual(s.commands[2].words.map((w) => w.value), ['tee', 'x']);
  assert.equal(parseShell('a b', 0, 3).needsShell, false);
  assert.equal(parseShell('a $B', 0, 4).needsShell, true);
  assert.equal(parseShell("a '$B'", 0, 6).needsShell, false);
});

test('exec form vs shell form', () => {
  const m = model('FROM x\nCMD ["/app", "serve"]\nENTRYPOINT /app serve\nCMD [bad\n');
  const [cmd, ep, bad] = m.stages[0].instructions;
  assert.deepEqual(jsonForm(cmd), ['/app', 'serve']);
  assert.equal(jsonForm(ep), undefined);
  assert.equal(jsonForm(bad), undefined);
});

test('odd shapes never throw', () => {
  for (const text of ['', 'FROM', 'FROM \nRUN', 'RUN go build -o', 'ARG\nFROM ${X:-}\nCOPY --from=', 'FROM a AS\nRUN <<EOF\n', 'RUN "unterminated \\\n']) {
    const m = model(text);
    goCommands(m);
    stagesFeedingFinal(m);
    for (const s of m.stages) {
      baseTraits(s);
      copiesFrom(m, s);
    }
  }
});

test('built binary path: -o file or directory, package name, module name, go install', () => {
  const text = [
    'FROM golang:1.22 AS build',
    'WORKDIR /src',
    'RUN go build -o /out/ ./cmd/api',
    'RUN go build ./cmd/worker',
    'RUN go build -v',
    'RUN go install ./cmd/cli',
    'RUN go build -o $OUT .',
    'RUN go mod download',
    'FROM scratch',
    'COPY --from=build /out/* /bin/',
    '',
  ].join('\n');
  const m = model(text);
  const cmds = goCommands(m);
  assert.deepEqual(cmds.map((c) => builtBinaryPath(m, c, 'shop')), ['/out/api', '/src/worker', '/src/shop', '/go/bin/cli', undefined, undefined]);
  assert.deepEqual(goCommandSpan(cmds[5]), at(text, 'go mod download'));
  assert.equal(isCopiedIntoFinal(m, m.stages[0], '/out/api'), true);
  assert.equal(isCopiedIntoFinal(m, m.stages[0], '/src/worker'), false);
});
