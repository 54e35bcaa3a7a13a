using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;
using System.Text;

namespace P2PSync.Relay.Tests.Mailbox;

/// <summary>Every log line the relay writes, at every level, with exception text, for blindness checks.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Capture(this, categoryName);

    public string AllText()
    {
        var text = new StringBuilder();
        foreach (var line in _lines) text.AppendLine(line);
        return text.ToString();
    }

    public int Count => _lines.Count;

    public void Dispose()
    {
    }

    private sealed class Capture(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
