using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;

namespace Poppy.Sdk;

/// <summary>
/// Removes credentials from vendor text before it is stored, logged or thrown. Every vendor message (an error body,
/// its <c>Message</c>, a malformed-body excerpt, a transport error's text) passes one scrubber, which
/// <list type="number">
/// <item>removes signing details a vendor echoes back — AWS's "The Canonical String for this request should have
/// been '…'" and "The String-to-Sign should have been '…'" blocks and the <c>&lt;CanonicalRequest&gt;</c>,
/// <c>&lt;StringToSign&gt;</c> and <c>…Bytes</c> elements — because a canonical request carries header values such as
/// <c>x-amz-security-token</c>; and</item>
/// <item>replaces every configured credential value (keys, secrets, session tokens, client tokens, API tokens) wherever
/// it appears, also URL-, JSON- and XML-escaped, with <see cref="Mask"/>.</item>
/// </list>
/// A provider builds one with its credential values (see <see cref="SecretScrubber(Func{IEnumerable{string?}})"/>); code
/// that knows no credential (the composite client, <see cref="ProviderError.FromException"/>) uses
/// <see cref="WithoutSecrets"/>, which does step 1 only.
/// </summary>
/// <remarks>
/// Values shorter than <see cref="MinimumSecretLength"/> are not scrubbed: masking every occurrence of a three-letter
/// value would mask ordinary words and make messages useless while protecting nothing (a real credential is much
/// longer; the options of each provider reject blank ones).
/// </remarks>
public sealed class SecretScrubber
{
    /// <summary>
    /// The shortest credential value that is scrubbed (8 characters). Real credentials are far longer: an AWS access
    /// key id has 20, a secret access key 40, a Fastly API token 32.
    /// </summary>
    public const int MinimumSecretLength = 8;

    /// <summary>What a credential value is replaced with.</summary>
    public const string Mask = "[redacted]";

    /// <summary>What a removed canonical-request or string-to-sign block is replaced with.</summary>
    public const string SigningDetailsMask = "[signing details removed]";

    private const string CanonicalPhrase = "The Canonical String for this request should have been";
    private const string StringToSignPhrase = "The String-to-Sign should have been";
    private static readonly string[] SigningElements = ["CanonicalRequest", "CanonicalRequestBytes", "StringToSign", "StringToSignBytes"];

    private readonly Func<IEnumerable<string?>> _secrets;

    /// <summary>Creates a scrubber for the credential values <paramref name="secrets"/> returns.</summary>
    /// <param name="secrets">
    /// The credential values, read each time text is scrubbed (so rotating credentials are followed); null, blank and
    /// short values are ignored.
    /// </param>
    public SecretScrubber(Func<IEnumerable<string?>> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        _secrets = secrets;
    }

    /// <summary>Creates a scrubber for fixed credential values.</summary>
    /// <param name="secrets">The credential values; null, blank and short values are ignored.</param>
    public SecretScrubber(params string?[] secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var copy = secrets.ToArray();
        _secrets = () => copy;
    }

    /// <summary>A scrubber that knows no credential value: it removes signing details only.</summary>
    public static SecretScrubber WithoutSecrets { get; } = new(static () => []);

    /// <summary>The text without signing details and without any credential value.</summary>
    /// <param name="text">Vendor text (a body, a message, an excerpt); null is empty.</param>
    /// <returns>The scrubbed text (the same instance when there was nothing to remove).</returns>
    public string Scrub(string? text) => Scrub(text, []);

    /// <summary>The text without signing details, without any configured credential value and without <paramref name="moreSecrets"/>.</summary>
    /// <param name="text">Vendor text; null is empty.</param>
    /// <param name="moreSecrets">Values known only for this text, such as the credentials the request was actually sent with.</param>
    /// <returns>The scrubbed text (the same instance when there was nothing to remove).</returns>
    public string Scrub(string? text, IEnumerable<string?> moreSecrets)
    {
        ArgumentNullException.ThrowIfNull(moreSecrets);
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var withoutBlocks = RemoveSigningDetails(text);
        IEnumerable<string?> secrets;
        try
        {
            secrets = _secrets().Concat(moreSecrets).ToArray();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Without the values nothing can be said to be clean: withhold the text rather than risk it.
            return "(vendor text withheld: the credentials to scrub it could not be read)";
        }

        return RemoveValues(withoutBlocks, secrets);
    }

    /// <summary>The forms in which a value may appear in vendor text: as is, URL-encoded (either hex case, form encoding), JSON- and XML-escaped.</summary>
    /// <param name="secret">The value.</param>
    /// <returns>The distinct forms.</returns>
    internal static IEnumerable<string> Forms(string secret)
    {
        var escaped = Uri.EscapeDataString(secret);
        var forms = new HashSet<string>(StringComparer.Ordinal)
        {
            secret,
            escaped,
            LowerHex(escaped),
            WebUtility.UrlEncode(secret),
            LowerHex(WebUtility.UrlEncode(secret)),
            JsonEncodedText.Encode(secret).Value,
            secret.Replace("/", "\\/", StringComparison.Ordinal),
            SecurityElement.Escape(secret),
        };
        return forms;
    }

    private static string RemoveValues(string text, IEnumerable<string?> secrets)
    {
        // Mark every occurrence of every form first, then mask merged spans: overlapping or adjacent values (one
        // secret containing another, or two sharing characters) are masked whole, whatever order they come in.
        var spans = new List<(int Start, int End)>();
        foreach (var secret in secrets)
        {
            if (secret is null || secret.Trim().Length < MinimumSecretLength)
            {
                continue;
            }

            foreach (var form in Forms(secret))
            {
                for (var at = text.IndexOf(form, StringComparison.Ordinal); at >= 0; at = text.IndexOf(form, at + 1, StringComparison.Ordinal))
                {
                    spans.Add((at, at + form.Length));
                }
            }
        }

        if (spans.Count == 0)
        {
            return text;
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        var sb = new StringBuilder(text.Length);
        var copied = 0;
        var i = 0;
        while (i < spans.Count)
        {
            var (start, end) = spans[i];
            for (i++; i < spans.Count && spans[i].Start <= end; i++)
            {
                end = Math.Max(end, spans[i].End);
            }

            sb.Append(text, copied, start - copied).Append(Mask);
            copied = end;
        }

        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    private static string RemoveSigningDetails(string text)
    {
        if (text.Contains(CanonicalPhrase, StringComparison.OrdinalIgnoreCase) || text.Contains(StringToSignPhrase, StringComparison.OrdinalIgnoreCase))
        {
            text = RemovePhraseBlocks(text);
        }

        foreach (var element in SigningElements)
        {
            if (text.Contains("<" + element + ">", StringComparison.OrdinalIgnoreCase))
            {
                text = RemoveElement(text, element);
            }
        }

        return text;
    }

    /// <summary>
    /// Removes each "The Canonical String … should have been '…'" / "The String-to-Sign should have been '…'" block.
    /// A canonical request followed by its string to sign is removed through the end of the string to sign (whose
    /// content has no quote), so a quote inside a header value cannot end the block early. A block without its closing
    /// quote (cut short) is removed to the end of the enclosing element or of the text.
    /// </summary>
    private static string RemovePhraseBlocks(string text)
    {
        var sb = new StringBuilder(text.Length);
        var copied = 0;
        while (true)
        {
            var canonical = text.IndexOf(CanonicalPhrase, copied, StringComparison.OrdinalIgnoreCase);
            var toSign = text.IndexOf(StringToSignPhrase, copied, StringComparison.OrdinalIgnoreCase);
            if (canonical < 0 && toSign < 0)
            {
                break;
            }

            int start, end;
            if (canonical >= 0 && (toSign < 0 || canonical < toSign))
            {
                start = canonical;
                end = toSign >= 0
                    ? BlockEnd(text, toSign + StringToSignPhrase.Length)
                    : BlockEnd(text, canonical + CanonicalPhrase.Length);
            }
            else
            {
                start = toSign;
                end = BlockEnd(text, toSign + StringToSignPhrase.Length);
            }

            sb.Append(text, copied, start - copied).Append(SigningDetailsMask);
            copied = end;
        }

        return copied == 0 ? text : sb.Append(text, copied, text.Length - copied).ToString();
    }

    /// <summary>Where the quoted block after a phrase ends (just past its closing quote).</summary>
    private static int BlockEnd(string text, int from)
    {
        var i = from;
        while (i < text.Length && (char.IsWhiteSpace(text[i]) || IsEscapedWhiteSpace(text, i)))
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        if (QuoteLength(text, i) is > 0 and var open)
        {
            for (var j = i + open; j < text.Length; j++)
            {
                if (QuoteLength(text, j) is > 0 and var close
                    && (j + close == text.Length || char.IsWhiteSpace(text[j + close]) || text[j + close] is '<' or '"' or '\\' or '.' or ',' or '}'))
                {
                    return j + close;
                }
            }
        }

        // No quoted block (or it was cut short): remove to the end of the enclosing XML element, or of the text.
        var tag = text.IndexOf('<', i);
        return tag < 0 ? text.Length : tag;
    }

    /// <summary>The length of a single quote at <paramref name="i"/>: as is, JSON-escaped (<c>\u0027</c>) or an XML entity; 0 when none.</summary>
    private static int QuoteLength(string text, int i)
    {
        if (i >= text.Length)
        {
            return 0;
        }

        if (text[i] == '\'')
        {
            return 1;
        }

        foreach (var quote in (ReadOnlySpan<string>)["\\u0027", "&apos;", "&#39;", "&#x27;"])
        {
            if (string.Compare(text, i, quote, 0, quote.Length, StringComparison.OrdinalIgnoreCase) == 0)
            {
                return quote.Length;
            }
        }

        return 0;
    }

    private static bool IsEscapedWhiteSpace(string text, int i) =>
        text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 'n' or 'r' or 't';

    private static string RemoveElement(string text, string element)
    {
        var open = "<" + element + ">";
        var close = "</" + element + ">";
        var sb = new StringBuilder(text.Length);
        var copied = 0;
        for (var at = text.IndexOf(open, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(open, copied, StringComparison.OrdinalIgnoreCase))
        {
            var contentStart = at + open.Length;
            var end = text.IndexOf(close, contentStart, StringComparison.OrdinalIgnoreCase);
            sb.Append(text, copied, contentStart - copied).Append(SigningDetailsMask);
            copied = end < 0 ? text.Length : end;
        }

        return sb.Append(text, copied, text.Length - copied).ToString();
    }

    private static string LowerHex(string encoded)
    {
        if (!encoded.Contains('%', StringComparison.Ordinal))
        {
            return encoded;
        }

        var chars = encoded.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLower(chars[i + 1], CultureInfo.InvariantCulture);
                chars[i + 2] = char.ToLower(chars[i + 2], CultureInfo.InvariantCulture);
            }
        }

        return new string(chars);
    }
}
