import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

/** The text inside the element whose opening tag carries this id (the dossier marks rows and verdicts with ids). */
function element(page: string, id: string): string {
  const match = new RegExp(`<(\\w+)[^>]* id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(page);
  if (!match) throw new Error(`no element with id "${id}" in the dossier`);
  return match[2]!;
}

const SIX = [
  ...ANNEX_II.slice(0, 5), // ITU, UNECE, CBD, FAO, UN-Women
  // A name as a person might type it: markup and an ampersand must come out as text.
  { partnerId: 'UN-Test', name: 'Cities <script>alert("partner")</script> & Co', entityType: 'other-un-entity' },
];
const QUESTION = 'Do the Partners adopt the <script>alert(1)</script> workplan & publish it?';
const REASON = 'Needed before the Annual Meeting & its <minutes>';

/**
 * Issue 6, the decision dossier, over HTTP on a SQLite file (ToR ¶13(b)): a ballot with a changed vote and
 * two Partners who never voted, closed early by the Secretariat; its dossier from the events alone.
 */
describe('GET /v1/ballots/{id}/dossier', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;
  let decided: string;
  let chosenRules: string;
  let open: string;
  let withdrawn: string;
  let page: string;

  const vote = async (id: string, org: string, choice: string, name: string) => {
    clock.advance(3_600_000);
    const token = `Bearer ${await api.token(`rep-${org}`, ['partner'], { org, name })}`;
    await request(api.server).post(`/v1/ballots/${id}/votes`).set('Authorization', token).send({ choice }).expect(201);
  };
  const dossier = (id: string, auth: string) => request(api.server).get(`/v1/ballots/${id}/dossier`).set('Authorization', auth);

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    await registerPartners(api, secretariat, SIX);
    clock.set('2026-05-04T09:00:00.000Z');
    decided = await openBallot(api, secretariat, {
      subject: { kind: 'workplan', reference: 'workplan-2026', title: 'U4SSC workplan 2026 & annexes' },
      question: QUESTION,
      closesAt: inDays(clock.now(), 14),
    });
    await vote(decided, 'ITU', 'yes', 'Ana Ruiz');
    await vote(decided, 'FAO', 'no', 'Bo <b>Chen</b> & team');
    await vote(decided, 'FAO', 'yes', 'Bo <b>Chen</b> & team');
    await vote(decided, 'UN-Test', 'abstain', 'Dee Okafor');
    await vote(decided, 'UNECE', 'no', 'Eli Novak');
    clock.advance(3_600_000);
    await request(api.server).post(`/v1/ballots/${decided}/close`).set('Authorization', secretariat).send({ reason: REASON }).expect(200);

    chosenRules = await openBallot(api, secretariat, {
      subject: { kind: 'other', title: 'Use of the U4SSC logo' },
      closesAt: inDays(clock.now(), 3),
      rules: { quorum: { numerator: 1, denominator: 3 }, threshold: 'two-thirds', abstentionsCountTowardQuorum: false, allowVoteChange: false, closeEarlyWhenAllVoted: true, revealTallyWhileOpen: true },
      rulesReason: 'an open consultation',
    });
    await vote(chosenRules, 'ITU', 'no', 'Ana Ruiz');
    await vote(chosenRules, 'CBD', 'no', 'Cy Park');
    clock.advance(60_000);
    await request(api.server).post(`/v1/ballots/${chosenRules}/close`).set('Authorization', secretariat).send({ reason: 'Enough views' }).expect(200);

    open = await openBallot(api, secretariat, { subject: { kind: 'hub', title: 'Hub request: Valencia' }, closesAt: inDays(clock.now(), 7) });
    withdrawn = await openBallot(api, secretariat, { subject: { kind: 'hub', title: 'Hub request: Porto' }, closesAt: inDays(clock.now(), 7) });
    await request(api.server).post(`/v1/ballots/${withdrawn}/withdraw`).set('Authorization', secretariat).send({ reason: 'Asked twice' }).expect(200);

    const response = await dossier(decided, auditor).expect(200);
    page = response.text;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('answers text/html, self-contained: lang, inline CSS, no script, no external asset', async () => {
    const response = await dossier(decided, auditor).expect(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(page).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(page).toMatch(/<style>[\s\S]+<\/style>/);
    expect(page).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
    for (const external of [/<script/i, /<link/i, /\ssrc=/i, /href="(?!#)/i, /url\((?!#)/i, /@import/i]) expect(page).not.toMatch(external);
    expect(page).toContain('<th scope="col">');
    expect(page).toMatch(/<h1>U4SSC workplan 2026 &amp; annexes<\/h1>/);
    const docs = await request(api.server).get('/docs-json').expect(200);
    expect(docs.body.paths['/v1/ballots/{ballotId}/dossier'].get.responses['200'].content).toHaveProperty(['text/html']);
  });

  it('escapes every interpolated value: the question, a Partner’s name, a person’s name, a reason', () => {
    expect(page).not.toMatch(/<script|<b>|<minutes>/i);
    expect(page).toContain('Do the Partners adopt the &lt;script&gt;alert(1)&lt;/script&gt; workplan &amp; publish it?');
    expect(page).toContain('Cities &lt;script&gt;alert(&quot;partner&quot;)&lt;/script&gt; &amp; Co');
    expect(page).toContain('Bo &lt;b&gt;Chen&lt;/b&gt; &amp; team');
    expect(page).toContain('Needed before the Annual Meeting &amp; its &lt;minutes&gt;');
  });

  it('states the subject, channel, opening and closing times, who opened it and who closed it and why', () => {
    expect(page).toContain('<code>workplan</code> · reference <code>workplan-2026</code>');
    expect(page).toMatch(/electronic, between Annual Meetings/);
    expect(page).toMatch(/<dt>Opened<\/dt><dd><time datetime="2026-05-04T09:00:00.000Z">2026-05-04 09:00:00 UTC<\/time> by <code>sec-bueti<\/code> as secretariat<\/dd>/);
    expect(page).toMatch(/<dt>Deadline<\/dt><dd><time datetime="2026-05-18T09:00:00.000Z">/);
    expect(element(page, 'closed')).toMatch(
      /^<time datetime="2026-05-04T15:00:00.000Z">.*<\/time> by <code>sec-bueti<\/code> as secretariat: early, by the Secretariat, with a reason\. Reason given: “Needed before the Annual Meeting &amp; its &lt;minutes&gt;”$/,
    );
  });

  it('states the rules frozen at opening, and whether the Secretariat chose other rules than the default', async () => {
    expect(page).toMatch(/<th scope="row">Quorum<\/th><td>1\/2 of the electorate = at least 3 of 6 Partners taking part<\/td>/);
    expect(page).toMatch(/<th scope="row">Threshold<\/th><td><code>simple-majority<\/code>/);
    expect(page).toMatch(/<th scope="row">Vote changes allowed<\/th><td>yes/);
    expect(page).toMatch(/<th scope="row">Secrecy while open<\/th><td>running tally secret until the close/);
    expect(page).toMatch(/<th scope="row">Rule table<\/th><td><code>U4SSC-ballot-rules<\/code> version 1<\/td>/);
    expect(page).toMatch(/<th scope="row">ToR version<\/th><td><code>U4SSC-ToR-2023<\/code><\/td>/);
    expect(page).toMatch(/the table’s default for <code>workplan<\/code>/);
    expect(page).not.toContain('NON-DEFAULT');

    const other = (await dossier(chosenRules, auditor).expect(200)).text;
    expect(other).toMatch(/<span class="tag">NON-DEFAULT<\/span> chosen by the Secretariat .* Reason recorded: “an open consultation”/);
    expect(other).toMatch(/<th scope="row">Quorum<\/th><td>1\/3 of the electorate = at least 2 of 6 Partners taking part<\/td>/);
    expect(other).toMatch(/<th scope="row">Vote changes allowed<\/th><td>no: one vote each/);
    expect(other).toMatch(/Outcome recorded: rejected/);
  });

  it('lists every vote with its time and actor, the superseded vote struck through, and who did not vote', async () => {
    const events = await api.stores.events.readStream(`ballot-${decided}`);
    const votes = events.filter((event) => event.type === 'VoteCast' || event.type === 'VoteChanged');
    expect(votes).toHaveLength(5);
    for (const event of votes) {
      const row = element(page, `vote-r${event.revision}`);
      const { partnerId, choice } = event.data as { partnerId: string; choice: string };
      expect(row).toContain(`<time datetime="${event.metadata.occurredAt}">`);
      expect(row).toContain(`<code>${partnerId}</code>`);
      expect(row).toContain(`<code>rep-${partnerId}</code>`);
      expect(row).toContain(`<td>partner</td><td><code>${partnerId}</code></td>`);
      expect(row).toContain(choice);
    }
    const [faoFirst, faoChange] = votes.filter((event) => (event.data as { partnerId: string }).partnerId === 'FAO');
    expect(page).toContain(`<tr id="vote-r${faoFirst!.revision}" class="superseded">`);
    expect(element(page, `vote-r${faoFirst!.revision}`)).toMatch(
      new RegExp(`<td><del>no</del></td>.*<span class="tag">SUPERSEDED</span> replaced by <strong>yes</strong> at .* \\(revision ${faoChange!.revision}\\); not counted`),
    );
    expect(element(page, `vote-r${faoChange!.revision}`)).toMatch(/<strong>yes<\/strong> <span class="muted">\(changed from no\)<\/span>.*<strong>counts<\/strong>/);
    expect(element(page, 'not-voted')).toBe(
      '<li><code>CBD</code> Secretariat of the Convention on Biological Diversity</li><li><code>UN-Women</code> United Nations Entity for Gender Equality and the Empowerment of Women</li>',
    );
  });

  it('gives the recorded outcome and says the recount made now matches it', () => {
    expect(page).toContain('<strong>Outcome recorded: approved</strong>');
    expect(element(page, 'recount-verdict')).toMatch(/^Recount matches: the outcome <strong>approved<\/strong>/);
    expect(page).toMatch(/<tr class="same"><th scope="row">yes<\/th><td>2<\/td><td>2<\/td><td>✓ same<\/td><\/tr>/);
    expect(page).toMatch(/<tr class="same"><th scope="row">did not vote<\/th><td>CBD, UN-Women<\/td><td>CBD, UN-Women<\/td>/);
    expect(page).not.toMatch(/DOES NOT MATCH|DOES NOT VERIFY|DIFFERENT/);
  });

  it('draws the machine with the path taken: an inline SVG and a table of transitions', () => {
    expect(page).toMatch(/<svg xmlns="http:\/\/www.w3.org\/2000\/svg" [^>]*role="img" aria-labelledby="diagram-title diagram-desc"/);
    expect(page).toContain('<g class="state current"><title>approved (final)');
    expect(page).toContain('<g class="state"><title>withdrawn (final)');
    expect(page).toMatch(/Path taken: none → draft → open \(5 events recorded there\) → closed → approved\./);
    const row = (key: string) => new RegExp(`<tr class="([\\w-]+)" data-transition="${key}">(.*?)</tr>`).exec(page)!;
    expect(row('open:VoteCast:0')[1]).toBe('taken');
    expect(row('open:VoteCast:0')[2]).toMatch(/✓ taken ×4/);
    expect(row('open:VoteChanged:0')[2]).toMatch(/✓ taken<\/strong> \(revision \d+\)/);
    expect(row('open:BallotClosed:2')[1]).toBe('taken'); // secretariatGaveReason
    expect(row('open:BallotClosed:0')[1]).toBe('not-taken'); // deadlineReached
    expect(row('closed:BallotDecided:0')[1]).toBe('taken');
    expect(row('open:BallotWithdrawn:0')[1]).toBe('not-taken');
  });

  it('gives the chain proof: every event’s position, revision and hashes, the stream verified, and anchors that verify', async () => {
    const events = await api.stores.events.readStream(`ballot-${decided}`);
    expect(events).toHaveLength(9);
    for (const event of events) {
      expect(element(page, `event-r${event.revision}`)).toMatch(
        new RegExp(`^<td>${event.revision}</td><td>${event.position}</td><th scope="row"><code>${event.type}</code>.*<td class="hash">${event.prevHash}</td><td class="hash">${event.hash}</td>$`),
      );
    }
    expect(element(page, 'chain-verdict')).toMatch(/^This ballot’s chain verifies: 9 events/);
    const verified = await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200);
    expect(element(page, 'log-anchor')).toBe(verified.body.anchor); // nothing was appended since the dossier was made
    const decisionAnchor = element(page, 'decision-anchor');
    expect(decisionAnchor).toMatch(/^u4ssc-anchor:\d+:[0-9a-f]{32}$/);
    expect(decisionAnchor).not.toBe(verified.body.anchor); // other ballots came after this one
    const checked = await request(api.server).get('/v1/audit/verify').query({ anchor: decisionAnchor }).set('Authorization', auditor).expect(200);
    expect(checked.body).toMatchObject({ ok: true, anchors: [{ anchor: decisionAnchor, status: 'matched' }] });
  });

  it('serves the Secretariat too', async () => {
    const response = await dossier(decided, secretariat).expect(200);
    expect(response.text).toContain(element(page, 'decision-anchor'));
  });

  it('refuses: an unknown ballot 404, a ballot not decided 409 naming its state, a Partner 403, no token 401', async () => {
    const unknown = await dossier('no-such-ballot', auditor).expect(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.body.detail).toMatch(/^No ballot "no-such-ballot" is on record/);
    await dossier('bad_id!', auditor).expect(404);

    const running = await dossier(open, auditor).expect(409);
    expect(running.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(running.body).toMatchObject({ type: expect.stringMatching(/ballot-not-decided$/), status: 409, state: 'open', ballotId: open });
    expect(running.body.detail).toMatch(/is open: it has no decision on record yet/);
    const gone = await dossier(withdrawn, secretariat).expect(409);
    expect(gone.body).toMatchObject({ state: 'withdrawn', detail: expect.stringMatching(/is withdrawn: it was withdrawn before its close and no decision was taken/) });

    const partner = `Bearer ${await api.token('rep-ITU', ['partner'], { org: 'ITU' })}`;
    const forbidden = await dossier(decided, partner).expect(403);
    expect(forbidden.headers['content-type']).toMatch(/^application\/problem\+json/);
    await request(api.server).get(`/v1/ballots/${decided}/dossier`).expect(401);
  });
});
