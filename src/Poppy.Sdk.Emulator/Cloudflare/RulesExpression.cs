using System.Net;
using System.Text.RegularExpressions;

namespace Poppy.Sdk.Emulator.Cloudflare;

/// <summary>
/// A checker of Cloudflare's Rules language, strict enough to refuse malformed expressions as the API does:
/// balanced parentheses, braces and string quotes (only <c>\"</c> and <c>\\</c> escapes), known fields
/// (<c>http.host</c>, <c>http.request.uri.path</c>, <c>ip.src</c>, <c>ip.src.country</c>, <c>http.referer</c>, …)
/// and functions, comparison operators (<c>eq ne lt le gt ge contains matches wildcard in</c> and their
/// symbols), logical operators (<c>and or xor not</c>), sets of strings, numbers, addresses and ranges.
/// It checks the syntax, not the types.
/// </summary>
internal static partial class RulesExpression
{
    /// <summary>The longest expression accepted (Cloudflare: 4,096 characters).</summary>
    public const int MaxLength = 4096;

    private static readonly HashSet<string> Fields = new(StringComparer.Ordinal)
    {
        "http.host", "http.request.uri", "http.request.uri.path", "http.request.uri.path.extension", "http.request.uri.query",
        "http.request.full_uri", "http.request.method", "http.request.version", "http.referer", "http.user_agent", "http.cookie",
        "http.x_forwarded_for", "http.request.headers", "http.request.headers.names", "http.request.headers.values",
        "http.request.uri.args", "http.request.uri.args.names", "http.request.uri.args.values", "http.request.cookies",
        "http.request.accepted_languages", "http.request.timestamp.sec", "http.response.code",
        "raw.http.request.uri", "raw.http.request.uri.path", "raw.http.request.uri.query", "raw.http.request.full_uri",
        "ip.src", "ip.src.country", "ip.src.continent", "ip.src.asnum", "ip.src.city", "ip.src.region", "ip.src.region_code",
        "ip.src.postal_code", "ip.src.lat", "ip.src.lon", "ip.src.timezone.name", "ip.src.subdivision_1_iso_code",
        "ip.src.is_in_european_union", "ip.geoip.country", "ip.geoip.continent", "ip.geoip.asnum",
        "ssl", "cf.client.bot", "cf.bot_management.score", "cf.bot_management.verified_bot", "cf.threat_score",
        "cf.edge.server_port", "cf.tls_version", "cf.zone.name",
    };

    private static readonly HashSet<string> BooleanFields = new(StringComparer.Ordinal)
    {
        "ssl", "cf.client.bot", "cf.bot_management.verified_bot", "ip.src.is_in_european_union",
    };

    private static readonly HashSet<string> Functions = new(StringComparer.Ordinal)
    {
        "starts_with", "ends_with", "lower", "upper", "len", "any", "all", "concat", "url_decode", "to_string",
        "regex_replace", "wildcard_replace", "remove_bytes", "lookup_json_string", "substring", "cidr", "cidr6",
    };

    private static readonly HashSet<string> BooleanFunctions = new(StringComparer.Ordinal) { "starts_with", "ends_with", "any", "all" };

    private static readonly HashSet<string> Comparisons = new(StringComparer.Ordinal)
    {
        "eq", "ne", "lt", "le", "gt", "ge", "contains", "matches", "wildcard", "==", "!=", "<", "<=", ">", ">=", "~",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "and", "or", "xor", "not", "in", "strict", "eq", "ne", "lt", "le", "gt", "ge", "contains", "matches", "wildcard",
    };

    private enum Kind
    {
        Word,
        Literal,
        String,
        Symbol,
        ListRef,
        End,
    }

    /// <summary>Checks an expression.</summary>
    /// <param name="expression">The expression.</param>
    /// <returns>Null when well formed; otherwise what is wrong, as Cloudflare's <c>Filter parsing error (1:col)</c>.</returns>
    public static string? Check(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return "the expression is empty";
        }

        if (expression.Length > MaxLength)
        {
            return $"the expression is longer than {MaxLength} characters";
        }

        try
        {
            var parser = new Parser(Lex(expression));
            parser.Expression();
            parser.Expect(Kind.End, null);
            return null;
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            if (c == '"' || (c == 'r' && i + 1 < text.Length && text[i + 1] == '"'))
            {
                var raw = c == 'r';
                i += raw ? 2 : 1;
                var closed = false;
                while (i < text.Length)
                {
                    if (text[i] == '\\' && !raw)
                    {
                        if (i + 1 >= text.Length || (text[i + 1] != '"' && text[i + 1] != '\\'))
                        {
                            throw Error(i, "invalid character escape in a string (only \\\" and \\\\ are allowed)");
                        }

                        i += 2;
                        continue;
                    }

                    if (text[i] == '"')
                    {
                        closed = true;
                        i++;
                        break;
                    }

                    i++;
                }

                if (!closed)
                {
                    throw Error(start, "unterminated string literal");
                }

                tokens.Add(new Token(Kind.String, text[start..i], start));
                continue;
            }

            if ("(){}[],".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(Kind.Symbol, c.ToString(), start));
                i++;
                continue;
            }

            if ("=!<>~&|^".Contains(c, StringComparison.Ordinal))
            {
                var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                if (two is "==" or "!=" or "<=" or ">=" or "&&" or "||" or "^^")
                {
                    tokens.Add(new Token(Kind.Word, two, start));
                    i += 2;
                    continue;
                }

                if (c is '<' or '>' or '~' or '!')
                {
                    tokens.Add(new Token(Kind.Word, c.ToString(), start));
                    i++;
                    continue;
                }

                throw Error(i, $"unexpected character '{c}'");
            }

            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '*' or ':' or '.')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.' or ':' or '/' or '$' or '*' or '-'))
                {
                    i++;
                }

                var word = text[start..i];
                tokens.Add(new Token(Classify(word, start), word, start));
                continue;
            }

            throw Error(i, $"unexpected character '{c}'");
        }

        tokens.Add(new Token(Kind.End, "", text.Length));
        return tokens;
    }

    private static Kind Classify(string word, int at)
    {
        if (word.StartsWith('$'))
        {
            return ListName().IsMatch(word) ? Kind.ListRef : throw Error(at, $"invalid list name '{word}'");
        }

        if (word == "*")
        {
            return Kind.Symbol;
        }

        if (char.IsAsciiLetter(word[0]) && Identifier().IsMatch(word) && !IsAddress(word))
        {
            return Kind.Word;
        }

        return Number().IsMatch(word) || Range().IsMatch(word) || IsAddress(word) ? Kind.Literal : throw Error(at, $"invalid literal '{word}'");
    }

    private static bool IsAddress(string word)
    {
        var slash = word.IndexOf('/', StringComparison.Ordinal);
        var address = slash < 0 ? word : word[..slash];
        if (slash >= 0 && !Number().IsMatch(word[(slash + 1)..]))
        {
            return false;
        }

        return (address.Contains(':', StringComparison.Ordinal) || Ipv4().IsMatch(address)) && IPAddress.TryParse(address, out _);
    }

    private static FormatException Error(int at, string message) => new($"Filter parsing error (1:{at + 1}): {message}");

    [GeneratedRegex(@"^\$[a-z0-9_]+$")]
    private static partial Regex ListName();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^[0-9]+$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^[0-9]+\.\.[0-9]+$")]
    private static partial Regex Range();

    [GeneratedRegex(@"^[0-9]{1,3}(\.[0-9]{1,3}){3}$")]
    private static partial Regex Ipv4();

    private sealed record Token(Kind Kind, string Text, int At);

    private sealed class Parser(List<Token> tokens)
    {
        private int _next;

        private Token Peek => tokens[_next];

        public void Expression() => Binary(0);

        public Token Expect(Kind kind, string? text)
        {
            var token = Peek;
            if (token.Kind != kind || (text is not null && token.Text != text))
            {
                throw Error(token.At, token.Kind == Kind.End
                    ? $"expected {text ?? kind.ToString().ToLowerInvariant()}, the expression ended"
                    : $"unexpected '{token.Text}'{(text is null ? "" : $", expected '{text}'")}");
            }

            _next++;
            return token;
        }

        private bool Accept(Kind kind, string text)
        {
            if (Peek.Kind == kind && Peek.Text == text)
            {
                _next++;
                return true;
            }

            return false;
        }

        // Precedence, loosest first: or, xor, and.
        private void Binary(int level)
        {
            string[][] operators = [["or", "||"], ["xor", "^^"], ["and", "&&"]];
            if (level == operators.Length)
            {
                Unary();
                return;
            }

            Binary(level + 1);
            while (Peek.Kind == Kind.Word && operators[level].Contains(Peek.Text))
            {
                _next++;
                Binary(level + 1);
            }
        }

        private void Unary()
        {
            if (Accept(Kind.Word, "not") || Accept(Kind.Word, "!"))
            {
                Unary();
                return;
            }

            if (Accept(Kind.Symbol, "("))
            {
                Expression();
                Expect(Kind.Symbol, ")");
                return;
            }

            Comparison();
        }

        private void Comparison()
        {
            var (boolean, start) = Operand();
            var token = Peek;
            if (token.Kind == Kind.Word && token.Text == "in")
            {
                _next++;
                if (Peek.Kind == Kind.ListRef)
                {
                    _next++;
                    return;
                }

                Set();
                return;
            }

            if (token.Kind == Kind.Word && token.Text == "strict")
            {
                _next++;
                Expect(Kind.Word, "wildcard");
                Operand();
                return;
            }

            if (token.Kind == Kind.Word && Comparisons.Contains(token.Text))
            {
                _next++;
                Operand();
                return;
            }

            if (!boolean)
            {
                throw Error(start.At, $"'{start.Text}' is not a boolean; a comparison (eq, ne, contains, matches, in, …) must follow it");
            }
        }

        /// <summary>A field, function call, string or literal; returns whether it is a boolean on its own.</summary>
        private (bool Boolean, Token Start) Operand()
        {
            var token = Peek;
            switch (token.Kind)
            {
                case Kind.String or Kind.Literal:
                    _next++;
                    return (false, token);
                case Kind.Word when token.Text is "true" or "false":
                    _next++;
                    return (true, token);
                case Kind.Word when tokens[_next + 1].Kind == Kind.Symbol && tokens[_next + 1].Text == "(":
                    if (!Functions.Contains(token.Text))
                    {
                        throw Error(token.At, $"unknown function '{token.Text}'");
                    }

                    _next += 2;
                    if (!Accept(Kind.Symbol, ")"))
                    {
                        do
                        {
                            // any() and all() take a comparison over an array; the others take values.
                            if (token.Text is "any" or "all")
                            {
                                Expression();
                            }
                            else
                            {
                                Operand();
                            }
                        }
                        while (Accept(Kind.Symbol, ","));

                        Expect(Kind.Symbol, ")");
                    }

                    Indexes();
                    return (BooleanFunctions.Contains(token.Text), token);
                case Kind.Word when !Keywords.Contains(token.Text):
                    if (!Fields.Contains(token.Text))
                    {
                        throw Error(token.At, $"unknown identifier '{token.Text}'");
                    }

                    _next++;
                    Indexes();
                    return (BooleanFields.Contains(token.Text), token);
                default:
                    throw Error(token.At, token.Kind == Kind.End ? "the expression ended where a value was expected" : $"unexpected '{token.Text}'");
            }
        }

        private void Indexes()
        {
            while (Accept(Kind.Symbol, "["))
            {
                var token = Peek;
                if (token.Kind is Kind.String or Kind.Literal || (token.Kind == Kind.Symbol && token.Text == "*"))
                {
                    _next++;
                }
                else
                {
                    throw Error(token.At, "an index must be a string, a number or *");
                }

                Expect(Kind.Symbol, "]");
            }
        }

        private void Set()
        {
            Expect(Kind.Symbol, "{");
            var count = 0;
            while (Peek.Kind is Kind.String or Kind.Literal)
            {
                _next++;
                count++;
            }

            var close = Expect(Kind.Symbol, "}");
            if (count == 0)
            {
                throw Error(close.At, "a set needs at least one value");
            }
        }
    }
}
