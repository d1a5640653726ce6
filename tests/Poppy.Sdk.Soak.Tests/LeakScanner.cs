using System.Collections.Concurrent;

namespace Poppy.Sdk.Soak.Tests;

/// <summary>Looks for every configured secret value in every text the SDK produced.</summary>
internal sealed class LeakScanner(IReadOnlyDictionary<string, string> secrets)
{
    public IReadOnlyDictionary<string, string> Secrets { get; } = secrets;

    public ConcurrentQueue<Leak> Leaks { get; } = new();

    public ConcurrentDictionary<string, int> Scanned { get; } = new(StringComparer.Ordinal);

    public void Scan(string? text, string source, string? serviceId)
    {
        Scanned.AddOrUpdate(source, 1, (_, n) => n + 1);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        foreach (var (name, value) in Secrets)
        {
            var at = text.IndexOf(value, StringComparison.Ordinal);
            if (at >= 0)
            {
                var start = Math.Max(0, at - 160);
                var excerpt = text.Substring(start, Math.Min(text.Length - start, 200 + value.Length));
                foreach (var (n, v) in Secrets)
                {
                    excerpt = excerpt.Replace(v, $"<{n}>", StringComparison.Ordinal);
                }

                Leaks.Enqueue(new Leak(source, name, serviceId, excerpt.ReplaceLineEndings("⏎")));
            }
        }
    }
}

/// <summary>A secret found in an output.</summary>
/// <param name="Source">Where: log record, exception message, result JSON, …</param>
/// <param name="Secret">Which secret (its name, never its value).</param>
/// <param name="ServiceId">The service concerned, when known.</param>
/// <param name="Excerpt">The text around it, with every secret replaced by its name.</param>
internal sealed record Leak(string Source, string Secret, string? ServiceId, string Excerpt);
