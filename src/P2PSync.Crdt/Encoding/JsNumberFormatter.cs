using System.Globalization;
using System.Text;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// ECMAScript Number::toString(10): the shortest digits that round-trip (which .NET's "R"
/// already finds) laid out by the spec's rules for fixed versus exponential notation.
/// </summary>
internal static class JsNumberFormatter
{
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }
        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        if (value == 0)
        {
            return "0"; // JS prints -0 as "0" too
        }
        var (digits, pointPosition, negative) = ShortestDigits(value);
        var builder = new StringBuilder(32);
        if (negative)
        {
            builder.Append('-');
        }
        var k = digits.Length;
        var n = pointPosition;
        if (k <= n && n <= 21)
        {
            builder.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            builder.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            builder.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            builder.Append(digits[0]);
            if (k > 1)
            {
                builder.Append('.').Append(digits, 1, k - 1);
            }
            var exponent = n - 1;
            builder.Append('e').Append(exponent >= 0 ? '+' : '-').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>
    /// Digits without leading/trailing zeros and the decimal point position n such that
    /// value = 0.digits * 10^n (the spec's s and n).
    /// </summary>
    private static (string Digits, int PointPosition, bool Negative) ShortestDigits(double value)
    {
        var roundTrip = value.ToString("R", CultureInfo.InvariantCulture);
        // "R" yields shortest round-trip digits in either "123.45" or "1.2345E+20" shape.
        var negative = roundTrip[0] == '-';
        var body = negative ? roundTrip[1..] : roundTrip;
        var exponent = 0;
        var ePos = body.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            exponent = int.Parse(body[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            body = body[..ePos];
        }
        var dot = body.IndexOf('.');
        var integerPart = dot >= 0 ? body[..dot] : body;
        var fractionPart = dot >= 0 ? body[(dot + 1)..] : string.Empty;
        var allDigits = integerPart + fractionPart;
        var pointPosition = integerPart.Length + exponent;
        var leading = 0;
        while (leading < allDigits.Length - 1 && allDigits[leading] == '0')
        {
            leading++;
        }
        allDigits = allDigits[leading..];
        pointPosition -= leading;
        allDigits = allDigits.TrimEnd('0');
        return (allDigits, pointPosition, negative);
    }
}
