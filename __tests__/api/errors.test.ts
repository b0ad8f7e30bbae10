import { SegmentApiError } from '../../api';
import { closeAllServers, fail, makeClient, rejectionOf, startServer } from './support/test-server';

afterEach(closeAllServers);

async function failingCall(reply: ReturnType<typeof fail> | { status: number; text: string }, tokenName?: string) {
  const server = await startServer(() => reply);
  const { client, sleeps } = makeClient(server, { maxRetries: 0, ...(tokenName ? { tokenName } : {}) });
  const error = await rejectionOf(client.createInvites([{ email: 'new@example.com', permissions: [{ roleId: 'x' }] }]));
  expect(error).toBeInstanceOf(SegmentApiError);
  return { error: error as SegmentApiError, server, sleeps };
}

describe('non-2xx responses become SegmentApiError', () => {
  it("422 input-validation (Segment's validation answer): readable message naming the field, details kept, not retried", async () => {
    // docs.segmentapis.com "Request Validation": HTTP 422 with { errors: [{ type: "input-validation", message, field }] }.
    const server = await startServer(() =>
      fail(422, { type: 'input-validation', message: 'Role id "x" not found', field: 'permissions.0.roleId' }),
    );
    const { client, sleeps } = makeClient(server); // default maxRetries: a 422 must still not be retried

    const error = (await rejectionOf(client.createInvites([{ email: 'new@example.com' }]))) as SegmentApiError;

    expect(error.message).toBe(
      'Segment API POST /invites failed (422 input-validation): Role id "x" not found [field permissions.0.roleId]. ' +
        'Segment did not accept the request, so nothing in it was applied: fix the value named above',
    );
    expect(error).toMatchObject({ status: 422, method: 'POST', path: '/invites', retryable: false, attempts: 1 });
    expect(error.errors).toEqual([{ type: 'input-validation', message: 'Role id "x" not found', field: 'permissions.0.roleId' }]);
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('404 keeps the path (ids included) and the type', async () => {
    const server = await startServer(() => fail(404, { type: 'not-found', message: 'Resource not found' }));
    const { client } = makeClient(server);

    const error = (await rejectionOf(client.getUser('u-404'))) as SegmentApiError;

    expect(error.status).toBe(404);
    expect(error.path).toBe('/users/u-404');
    expect(error.message).toBe('Segment API GET /users/u-404 failed (404 not-found): Resource not found');
    expect(server.requests).toHaveLength(1);
  });

  it('401 tells the reader to check the token variable and the workspace', async () => {
    const { error } = await failingCall(fail(401, { type: 'unauthorized', message: 'Unauthorized' }), 'SEGMENT_PROD_TOKEN');

    expect(error.status).toBe(401);
    expect(error.message).toContain('(401 unauthorized): Unauthorized');
    expect(error.message).toContain('Check that SEGMENT_PROD_TOKEN holds a valid');
    expect(error.message).toContain('for this workspace');
  });

  it('403 names the default token variable and the access needed', async () => {
    const { error } = await failingCall(fail(403, { type: 'forbidden', message: 'Forbidden' }));

    expect(error.message).toContain('PUBLIC_API_TOKEN');
    expect(error.message).toContain('belongs to this workspace');
  });

  it('a non-JSON 502 page still gives a clear error', async () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';
    const { error } = await failingCall({ status: 502, text: html });

    expect(error.status).toBe(502);
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      'Segment API POST /invites failed (502 Bad Gateway): the response was not a Segment error body (text/html): "502 Bad Gateway 502 Bad Gateway"',
    );
    expect(error.errors).toEqual([{ type: 'unrecognised-error-body', status: 502, message: 'HTTP 502 Bad Gateway' }]);
  });

  it('several errors are all reported', async () => {
    const { error } = await failingCall(
      fail(422, { type: 'validation', message: 'bad email', field: 'invites.0.email' }, { type: 'conflict', message: 'already a member' }),
    );

    expect(error.message).toBe(
      'Segment API POST /invites failed (422 validation, conflict): bad email [field invites.0.email]; already a member. ' +
        'Segment did not accept the request, so nothing in it was applied: fix the value named above',
    );
  });
});
