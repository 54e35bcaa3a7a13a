using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace P2PSync.Relay.Tests.Signalling;

/// <summary>A test's WebSocket client on /signal: send JSON text, receive frames or the close, with timeouts.</summary>
internal sealed class SignalTestClient : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private SignalTestClient(WebSocket socket) => Socket = socket;

    public WebSocket Socket { get; }

    public static async Task<SignalTestClient> ConnectAsync(SignalRelayFactory factory)
    {
        var client = factory.Server.CreateWebSocketClient();
        var socket = await client.ConnectAsync(new Uri("ws://localhost/signal"), CancellationToken.None);
        return new SignalTestClient(socket);
    }

    public Task SendAsync(string json) => SendBytesAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public Task SendBytesAsync(byte[] bytes, WebSocketMessageType type = WebSocketMessageType.Text) =>
        Socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>Subscribes and waits for the relay to have applied it (a ping sent after it is answered in order).</summary>
    public async Task SubscribeAsync(params string[] topics)
    {
        await SendAsync(JsonSerializer.Serialize(new { type = "subscribe", topics }));
        await PingPongAsync();
    }

    public async Task PingPongAsync()
    {
        await SendAsync("{\"type\":\"ping\"}");
        Assert.Equal("{\"type\":\"pong\"}", await ReceiveTextAsync());
    }

    /// <summary>The next text frame; fails when the connection closes or nothing comes within the wait.</summary>
    public async Task<string> ReceiveTextAsync(TimeSpan? within = null)
    {
        var message = await ReceiveAsync(within ?? DefaultWait);
        Assert.True(message.Type == WebSocketMessageType.Text, $"expected a text frame, got {message.Type} {message.CloseStatus} {message.CloseDescription}");
        return message.Text;
    }

    public async Task<JsonElement> ReceiveJsonAsync(TimeSpan? within = null)
    {
        using var document = JsonDocument.Parse(await ReceiveTextAsync(within));
        return document.RootElement.Clone();
    }

    /// <summary>Waits for the relay's close frame and returns its status and description.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Description)> ReceiveCloseAsync(TimeSpan? within = null)
    {
        var message = await ReceiveAsync(within ?? DefaultWait);
        Assert.True(message.Type == WebSocketMessageType.Close, $"expected the close, got the frame {message.Text}");
        return (message.CloseStatus, message.CloseDescription);
    }

    /// <summary>Proves silence: nothing but the pong of a ping arrives (frames are delivered in order).</summary>
    public async Task ExpectNothingBeforePongAsync()
    {
        await SendAsync("{\"type\":\"ping\"}");
        Assert.Equal("{\"type\":\"pong\"}", await ReceiveTextAsync());
    }

    private async Task<(WebSocketMessageType Type, string Text, WebSocketCloseStatus? CloseStatus, string? CloseDescription)> ReceiveAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[64 * 1024];
        using var text = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(buffer, timeout.Token);
            text.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return (result.MessageType, Encoding.UTF8.GetString(text.ToArray()), result.CloseStatus, result.CloseStatusDescription);
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The relay may already be gone; the test is over either way.
            }
        }

        Socket.Dispose();
    }
}
