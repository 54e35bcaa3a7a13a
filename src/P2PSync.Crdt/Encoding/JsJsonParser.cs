using System.Globalization;
using System.Text;

namespace P2PSync.Crdt.Encoding;

/// <summary>
/// JSON.parse over a string (strict RFC 8259 grammar, as V8 accepts it), producing
/// <see cref="Lib0Any"/> values. Errors are <see cref="UpdateFormatException"/> because the
/// text usually comes from an update (v1 ContentJSON / ContentEmbed).
/// </summary>
internal sealed class JsJsonParser
{
    private readonly string _text;
    private int _position;

    private JsJsonParser(string text)
    {
        _text = text;
    }

    public static object? Parse(string text)
    {
        var parser = new JsJsonParser(text);
        parser.SkipWhitespace();
        var value = parser.ParseValue(0);
        parser.SkipWhitespace();
        if (parser._position != text.Length)
        {
            throw parser.Error("Unexpected text after the JSON value");
        }
        return value;
    }

    private object? ParseValue(int depth)
    {
        if (_position >= _text.Length)
        {
            throw Error("Unexpected end of JSON input");
        }
        switch (_text[_position])
        {
            case '{':
                return ParseObject(depth + 1);
            case '[':
                return ParseArray(depth + 1);
            case '"':
                return ParseString();
            case 't':
                ExpectLiteral("true");
                return true;
            case 'f':
                ExpectLiteral("false");
                return false;
            case 'n':
                ExpectLiteral("null");
                return null;
            default:
                return ParseNumber();
        }
    }

    private Dictionary<string, object?> ParseObject(int depth)
    {
        CheckDepth(depth);
        _position++; // '{'
        var builder = new JsObjectBuilder(0);
        SkipWhitespace();
        if (TryConsume('}'))
        {
            return builder.Build();
        }
        while (true)
        {
            SkipWhitespace();
            if (_position >= _text.Length || _text[_position] != '"')
            {
                throw Error("Expected a property name");
            }
            var key = ParseString();
            SkipWhitespace();
            if (!TryConsume(':'))
            {
                throw Error("Expected ':'");
            }
            SkipWhitespace();
            var value = ParseValue(depth);
            // JSON.parse defines properties, so "__proto__" is an ordinary key here.
            builder.Assign(key, value, protoIsSetter: false);
            SkipWhitespace();
            if (TryConsume('}'))
            {
                return builder.Build();
            }
            if (!TryConsume(','))
            {
                throw Error("Expected ',' or '}'");
            }
        }
    }

    private List<object?> ParseArray(int depth)
    {
        CheckDepth(depth);
        _position++; // '['
        var list = new List<object?>();
        SkipWhitespace();
        if (TryConsume(']'))
        {
            return list;
        }
        while (true)
        {
            SkipWhitespace();
            list.Add(ParseValue(depth));
            SkipWhitespace();
            if (TryConsume(']'))
            {
                return list;
            }
            if (!TryConsume(','))
            {
                throw Error("Expected ',' or ']'");
            }
        }
    }

    private string ParseString()
    {
        _position++; // opening quote
        var builder = new StringBuilder();
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("Unterminated string");
            }
            var c = _text[_position++];
            if (c == '"')
            {
                return builder.ToString();
            }
            if (c < 0x20)
            {
                throw Error("Control character in string");
            }
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            if (_position >= _text.Length)
            {
                throw Error("Unterminated escape");
            }
            var escape = _text[_position++];
            switch (escape)
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !ushort.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw Error("Bad unicode escape");
                    }
                    builder.Append((char)code);
                    _position += 4;
                    break;
                default:
                    throw Error("Bad escape");
            }
        }
    }

    private object ParseNumber()
    {
        var start = _position;
        TryConsume('-');
        if (TryConsume('0'))
        {
            // a leading zero may not be followed by more digits
        }
        else if (!ConsumeDigits())
        {
            throw Error("Unexpected token");
        }
        if (TryConsume('.') && !ConsumeDigits())
        {
            throw Error("Expected digits after '.'");
        }
        if (TryConsume('e') || TryConsume('E'))
        {
            if (!TryConsume('+'))
            {
                TryConsume('-');
            }
            if (!ConsumeDigits())
            {
                throw Error("Expected exponent digits");
            }
        }
        var value = double.Parse(_text.AsSpan(start, _position - start), NumberStyles.Float, CultureInfo.InvariantCulture);
        if (Math.Floor(value) == value && value >= -9.2233720368547758E+18 && value < 9.2233720368547758E+18
            && !(value == 0 && double.IsNegative(value)))
        {
            return (long)value;
        }
        return value;
    }

    private bool ConsumeDigits()
    {
        var start = _position;
        while (_position < _text.Length && _text[_position] is >= '0' and <= '9')
        {
            _position++;
        }
        return _position > start;
    }

    private void ExpectLiteral(string literal)
    {
        if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
        {
            throw Error("Unexpected token");
        }
        _position += literal.Length;
    }

    private bool TryConsume(char c)
    {
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }
        return false;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\n' or '\r')
        {
            _position++;
        }
    }

    private void CheckDepth(int depth)
    {
        if (depth > Lib0Any.MaxDepth)
        {
            throw Error($"JSON nested deeper than {Lib0Any.MaxDepth}");
        }
    }

    private UpdateFormatException Error(string message) => new($"Invalid JSON at position {_position}: {message}.");
}
