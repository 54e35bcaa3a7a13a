using System.Net;
using System.Net.Http.Json;
using P2PSync.Node.Api;

namespace P2PSync.Node.Cli.Client;

/// <summary>Runs verbs through a running node's local API.</summary>
internal sealed class ApiNodeClient : INodeClient
{
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(3);

    private readonly HttpClient _http;

    public ApiNodeClient(Uri baseUrl)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        Description = $"api {baseUrl}";
    }

    public string Description { get; }

    /// <summary>True if the API answers /api/status within a short time (the node is really there).</summary>
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await _http.GetAsync(new Uri("api/status", UriKind.Relative), timeout.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return false;
        }
    }

    public Task<StatusView> StatusAsync(CancellationToken cancellationToken) =>
        SendAsync<StatusView>(HttpMethod.Get, "api/status", null, cancellationToken);

    public async Task<IReadOnlyList<DocView>> ListDocsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<DocView>>(HttpMethod.Get, "api/docs", null, cancellationToken).ConfigureAwait(false);

    public Task<DocView> CreateDocAsync(string name, string? space, CancellationToken cancellationToken) =>
        SendAsync<DocView>(HttpMethod.Post, "api/docs", new CreateDocRequest(name, space), cancellationToken);

    public Task<DocView> RenameDocAsync(string id, string name, CancellationToken cancellationToken) =>
        SendAsync<DocView>(HttpMethod.Post, $"api/docs/{Uri.EscapeDataString(id)}/rename", new RenameRequest(name), cancellationToken);

    public Task<DocDetailView> GetDocAsync(string id, string root, CancellationToken cancellationToken) =>
        SendAsync<DocDetailView>(HttpMethod.Get, $"api/docs/{Uri.EscapeDataString(id)}?root={Uri.EscapeDataString(root)}", null, cancellationToken);

    public Task<DocDetailView> AppendAsync(string id, string text, string root, CancellationToken cancellationToken) =>
        SendAsync<DocDetailView>(HttpMethod.Post, $"api/docs/{Uri.EscapeDataString(id)}/append", new AppendRequest(text, root), cancellationToken);

    public async Task<IReadOnlyList<PeerView>> ListPeersAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<PeerView>>(HttpMethod.Get, "api/peers", null, cancellationToken).ConfigureAwait(false);

    public Task<PeerView> AddPeerAsync(string deviceId, IReadOnlyList<string> addresses, CancellationToken cancellationToken) =>
        SendAsync<PeerView>(HttpMethod.Post, "api/peers", new AddPeerRequest(deviceId, addresses), cancellationToken);

    public async Task RemovePeerAsync(string deviceId, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(HttpMethod.Delete, $"api/peers/{Uri.EscapeDataString(deviceId)}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RelayView>> ListRelaysAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<RelayView>>(HttpMethod.Get, "api/relays", null, cancellationToken).ConfigureAwait(false);

    /// <summary>The node answers 201 when it stored the relay, 200 when it was stored already.</summary>
    public async Task<(RelayView Relay, bool Added)> AddRelayAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(HttpMethod.Post, "api/relays", new AddRelayRequest(url), cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        var relay = await response.Content.ReadFromJsonAsync<RelayView>(cancellationToken).ConfigureAwait(false)
            ?? throw new CommandFailedException(ExitCodes.Failure, $"{Description} sent an empty answer to api/relays");
        return (relay, response.StatusCode == HttpStatusCode.Created);
    }

    public async Task RemoveRelayAsync(string url, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(HttpMethod.Delete, $"api/relays?url={Uri.EscapeDataString(url)}", null, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SpaceView>> ListSpacesAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<SpaceView>>(HttpMethod.Get, "api/spaces", null, cancellationToken).ConfigureAwait(false);

    public Task<SpaceDetailView> CreateSpaceAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<SpaceDetailView>(HttpMethod.Post, "api/spaces", new CreateSpaceRequest(name), cancellationToken);

    public Task<SpaceDetailView> GetSpaceAsync(string space, CancellationToken cancellationToken) =>
        SendAsync<SpaceDetailView>(HttpMethod.Get, $"api/spaces/{Uri.EscapeDataString(space)}", null, cancellationToken);

    public Task<SpaceDetailView> AddMemberAsync(string space, string device, string role, CancellationToken cancellationToken) =>
        SendAsync<SpaceDetailView>(HttpMethod.Post, $"api/spaces/{Uri.EscapeDataString(space)}/members", new AddMemberRequest(device, role), cancellationToken);

    public Task<SpaceDetailView> ChangeRoleAsync(string space, string device, string role, CancellationToken cancellationToken) =>
        SendAsync<SpaceDetailView>(HttpMethod.Put, $"api/spaces/{Uri.EscapeDataString(space)}/members/{Uri.EscapeDataString(device)}", new ChangeRoleRequest(role), cancellationToken);

    public Task<SpaceDetailView> RemoveMemberAsync(string space, string device, CancellationToken cancellationToken) =>
        SendAsync<SpaceDetailView>(HttpMethod.Delete, $"api/spaces/{Uri.EscapeDataString(space)}/members/{Uri.EscapeDataString(device)}", null, cancellationToken);

    public Task<InviteView> CreateInviteAsync(string space, string role, string? expires, IReadOnlyList<string> addresses, bool relayOnly, CancellationToken cancellationToken) =>
        SendAsync<InviteView>(HttpMethod.Post, $"api/spaces/{Uri.EscapeDataString(space)}/invites", new CreateInviteRequest(role, expires, addresses, relayOnly), cancellationToken);

    /// <summary>
    /// Redeems through the node, which dials the inviter: each of up to 8 addresses may take a
    /// handshake timeout, then the answer its own, so this request gets far longer than the others.
    /// </summary>
    public async Task<JoinedView> JoinAsync(string code, Uri? relay, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = JoinTimeout };
        return await SendAsync<JoinedView>(http, HttpMethod.Post, "api/join", new JoinInviteRequest(code, relay?.ToString()), cancellationToken).ConfigureAwait(false);
    }

    public Task<ActivityView> GetActivityAsync(CancellationToken cancellationToken) =>
        SendAsync<ActivityView>(HttpMethod.Get, "api/activity", null, cancellationToken);

    public Task<ActivityView> SetActivityAsync(ActivityRequest activity, CancellationToken cancellationToken) =>
        SendAsync<ActivityView>(HttpMethod.Put, "api/activity", activity, cancellationToken);

    public Task<HandoffListView> ListHandoffsAsync(CancellationToken cancellationToken) =>
        SendAsync<HandoffListView>(HttpMethod.Get, "api/handoff", null, cancellationToken);

    public Task<HandoffStartedView> OfferHandoffAsync(string toDevice, CancellationToken cancellationToken) =>
        SendAsync<HandoffStartedView>(HttpMethod.Post, "api/handoff/offer", new HandoffOfferRequest(toDevice), cancellationToken);

    public Task<HandoffStartedView> PullHandoffAsync(string fromDevice, CancellationToken cancellationToken) =>
        SendAsync<HandoffStartedView>(HttpMethod.Post, "api/handoff/pull", new HandoffPullRequest(fromDevice), cancellationToken);

    public Task<HandoffStartedView> AcceptHandoffAsync(string handoffId, CancellationToken cancellationToken) =>
        SendAsync<HandoffStartedView>(HttpMethod.Post, $"api/handoff/{Uri.EscapeDataString(handoffId)}/accept", null, cancellationToken);

    public Task<HandoffStartedView> DeclineHandoffAsync(string handoffId, string? reason, CancellationToken cancellationToken) =>
        SendAsync<HandoffStartedView>(HttpMethod.Post, $"api/handoff/{Uri.EscapeDataString(handoffId)}/decline", new HandoffDeclineRequest(reason), cancellationToken);

    /// <summary>
    /// Subscribes to the node's handoff events. Returns once the node answered, i.e. once the
    /// subscription is registered: a handoff started after this call cannot slip past it.
    /// </summary>
    public async Task<HandoffEventSource> OpenHandoffEventsAsync(CancellationToken cancellationToken)
    {
        // The stream stays open as long as the handoff runs: no overall timeout, unlike _http.
        var http = new HttpClient { BaseAddress = _http.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("api/handoff/events", UriKind.Relative));
            request.Headers.Accept.ParseAdd("text/event-stream");
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({Description}) did not answer: {ex.Message}", ex);
            }

            try
            {
                await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                return new HandoffEventSource(http, response, new StreamReader(stream));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendAsync<T>(_http, method, path, body, cancellationToken);

    private async Task<T> SendAsync<T>(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await RawAsync(http, method, path, body, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadFromJsonAsync<T>(cancellationToken).ConfigureAwait(false)
            ?? throw new CommandFailedException(ExitCodes.Failure, $"{Description} sent an empty answer to {path}");
    }

    private Task<HttpResponseMessage> RawAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        RawAsync(_http, method, path, body, cancellationToken);

    private async Task<HttpResponseMessage> RawAsync(HttpClient http, HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType());
        }

        try
        {
            return await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({Description}) did not answer: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own timeout, not the user's Ctrl-C.
            throw new CommandFailedException(ExitCodes.Failure, $"the node's API ({Description}) did not answer {path} within {http.Timeout.TotalSeconds:0} s", ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        ErrorView? error = null;
        try
        {
            error = await response.Content.ReadFromJsonAsync<ErrorView>(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            // Not our JSON error shape; report the status code alone.
        }

        var message = error?.Error ?? $"{Description} answered {(int)response.StatusCode} {response.ReasonPhrase}";
        var code = response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge ? ExitCodes.BadInput : ExitCodes.Failure;
        throw new CommandFailedException(code, message);
    }
}
