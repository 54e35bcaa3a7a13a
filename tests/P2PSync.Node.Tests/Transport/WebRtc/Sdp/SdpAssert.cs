using P2PSync.Node.Transport.WebRtc;
using P2PSync.Node.Transport.WebRtc.Sdp;

namespace P2PSync.Node.Tests.Transport.WebRtc.Sdp;

/// <summary>Checks that SDP text is refused with the SDP layer's exception, the expected problem and a line number.</summary>
internal static class SdpAssert
{
    public static WebRtcFormatException Refused(string sdp, WebRtcFormatProblem problem, int? line = null)
    {
        var error = Assert.Throws<WebRtcFormatException>(() => SdpParser.Parse(sdp));
        Assert.Equal(WebRtcLayer.Sdp, error.Layer);
        Assert.True(problem == error.Problem, $"expected {problem}, got {error.Problem}: {error.Message}");
        Assert.Matches(@"^Sdp: line \d+: ", error.Message);
        if (line is not null)
        {
            Assert.StartsWith($"Sdp: line {line}: ", error.Message, StringComparison.Ordinal);
        }

        return error;
    }

    public static WebRtcFormatException Refused(Action action, WebRtcFormatProblem problem)
    {
        var error = Assert.Throws<WebRtcFormatException>(action);
        Assert.Equal(WebRtcLayer.Sdp, error.Layer);
        Assert.True(problem == error.Problem, $"expected {problem}, got {error.Problem}: {error.Message}");
        return error;
    }

    /// <summary>The sample with one line replaced (found by its start); fails if the line is not there.</summary>
    public static string ReplaceLine(string sdp, string lineStart, string? replacement)
    {
        var lines = sdp.Split("\r\n").ToList();
        var index = lines.FindIndex(l => l.StartsWith(lineStart, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line starts with {lineStart}");
        if (replacement is null)
        {
            lines.RemoveAt(index);
        }
        else
        {
            lines[index] = replacement;
        }

        return string.Join("\r\n", lines);
    }

    /// <summary>The sample with extra lines after the first line that starts with <paramref name="lineStart"/>.</summary>
    public static string InsertAfter(string sdp, string lineStart, params string[] extra)
    {
        var lines = sdp.Split("\r\n").ToList();
        var index = lines.FindIndex(l => l.StartsWith(lineStart, StringComparison.Ordinal));
        Assert.True(index >= 0, $"no line starts with {lineStart}");
        lines.InsertRange(index + 1, extra);
        return string.Join("\r\n", lines);
    }

    /// <summary>1-based number of the first line that starts with <paramref name="lineStart"/>.</summary>
    public static int LineOf(string sdp, string lineStart) =>
        sdp.Split("\r\n").ToList().FindIndex(l => l.StartsWith(lineStart, StringComparison.Ordinal)) + 1;
}
