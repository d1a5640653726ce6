using System.Globalization;
using System.Text;
using Poppy.Sdk.Models;

namespace Poppy.Sdk.Validation.Internal;

/// <summary>The caching rules and the path rules shared by origins and caching.</summary>
internal sealed partial class SpecValidation
{
    // ---------------------------------------------------------------- caching

    private List<CachingRule>? Caching(IReadOnlyList<CachingRule>? caching)
    {
        if (caching is null)
        {
            return _mode == ValidationMode.Create
                ? [new CachingRule(DefaultName, CachingRule.DefaultTtlSeconds, new PathRule(DefaultName, CatchAll))]
                : null;
        }

        var result = new List<CachingRule>();
        var paths = new PathRegistry(this, "each request path can have one caching rule only");
        for (var i = 0; i < caching.Count; i++)
        {
            var path = P("/caching", i);
            var entry = caching[i];
            if (entry is null)
            {
                Add(path, "This caching rule is null; give an object like {\"name\": \"default\", \"ttl\": 3600}.");
                continue;
            }

            var name = RequiredName(entry.Name, path + "/name", "caching rule");
            if (entry.Ttl is < 0 or > CachingRule.MaxTtlSeconds)
            {
                Add(path + "/ttl", $"The ttl {entry.Ttl.ToString(CultureInfo.InvariantCulture)} is out of range; use 0 (do not cache) to 31,536,000 seconds (one year).");
            }

            IReadOnlyList<PathRule> rules;
            if (entry.Rules is null || entry.Rules.Count == 0)
            {
                rules = [new PathRule(DefaultName, CatchAll)];
                paths.Register(CatchAll, path + "/rules", $"the default rule '/*' of {path} (added because it has no rules)");
            }
            else
            {
                rules = PathRules(entry.Rules, path + "/rules", paths);
            }

            result.Add(entry with { Name = name, Rules = rules });
        }

        return result;
    }

    // ---------------------------------------------------------------- rules shared by origins and caching

    private List<PathRule> PathRules(IReadOnlyList<PathRule> rules, string path, PathRegistry registry)
    {
        var result = new List<PathRule>(rules.Count);
        for (var j = 0; j < rules.Count; j++)
        {
            var rulePath = P(path, j);
            var rule = rules[j];
            if (rule is null)
            {
                Add(rulePath, "This rule is null; give an object like {\"name\": \"all\", \"request_url\": \"/*\"}.");
                continue;
            }

            var name = RequiredName(rule.Name, rulePath + "/name", "rule");
            if (RequestUrl(rule.RequestUrl, rulePath + "/request_url", required: true))
            {
                registry.Register(rule.RequestUrl, rulePath + "/request_url", $"{rulePath}/request_url");
            }

            result.Add(rule with { Name = name });
        }

        return result;
    }

    private string RequiredName(string? name, string path, string what)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            Add(path, $"The {what} has no name; give a name of 1–256 characters.");
        }
        else if (trimmed.Length > MaxNameLength)
        {
            Add(path, $"The {what} name is {Text.Count(trimmed.Length, "character")} long; it may have at most {MaxNameLength}.");
        }

        return trimmed;
    }

    private bool RequestUrl(string? url, string path, bool required)
    {
        if (url is null)
        {
            if (required)
            {
                Add(path, "request_url is missing; give a path pattern such as '/*' or '/images/*'.");
            }

            return false;
        }

        if (url.Length is 0 or > MaxRequestUrlLength)
        {
            Add(path, $"request_url is {Text.Count(url.Length, "character")} long; it must have 1–{MaxRequestUrlLength}.");
            return false;
        }

        if (url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            Add(path, $"request_url {Text.Quote(url)} contains spaces or control characters; percent-encode them (a space is '%20').");
            return false;
        }

        return true;
    }

    /// <summary>The comparison form of a request URL: Poppy adds a leading '/', so <c>*</c> and <c>/*</c> are one path.</summary>
    internal static string NormalizePath(string url) => url.StartsWith('/') ? url : "/" + url;

    /// <summary>Request URLs seen so far in one scope (all origins, or all caching rules); reports a repeat.</summary>
    private sealed class PathRegistry(SpecValidation owner, string rule)
    {
        private readonly Dictionary<string, string> _seen = new(StringComparer.Ordinal);

        public void Register(string url, string path, string description)
        {
            var key = NormalizePath(url);
            if (_seen.TryGetValue(key, out var first))
            {
                var same = key == url ? "" : $" (a leading '/' is implied, so it is the same as '{key}')";
                owner.Add(path, $"{Text.Quote(url)}{same} is already used by {first}; {rule}.");
            }
            else
            {
                _seen.Add(key, description);
            }
        }
    }
}
