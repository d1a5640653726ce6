using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontState;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront.Resources;

/// <summary>
/// Resource tags of distributions and functions: <c>ListTagsForResource</c>, <c>TagResource</c> and
/// <c>UntagResource</c> (<c>?Operation=Tag|Untag&amp;Resource=arn</c>); at most 50 tags, keys not
/// starting with <c>aws:</c>.
/// </summary>
internal sealed class TagEndpoints(CloudFrontState state)
{
    private const int MaxTags = 50;

    public void Map(IEndpointRouteBuilder routes)
    {
        var tagging = routes.MapGroup(Prefix + "/tagging");
        tagging.MapGet("", context => AnswerAsync(context, (request, _) => ListTags(request)));
        tagging.MapPost("", context => AnswerAsync(context, ChangeTags));
    }

    private Reply ListTags(HttpRequest request)
    {
        lock (state.Gate)
        {
            var tags = TagsOf(request);
            return new Reply(200, E("Tags", E("Items", tags.Select(t => E("Tag", E("Key", t.Key), E("Value", t.Value))))));
        }
    }

    private Reply ChangeTags(HttpRequest request, byte[] body)
    {
        var operation = request.Query["Operation"].ToString();
        if (operation is not ("Tag" or "Untag"))
        {
            throw new CloudFrontError("InvalidArgument", $"Operation must be Tag or Untag, not '{operation}'.");
        }

        var root = ParseBody(body, operation == "Tag" ? "Tags" : "TagKeys");
        CloudFrontSchema.Validate(root, root.Name.LocalName);
        var tags = operation == "Tag" ? ReadTags(root) : [];
        lock (state.Gate)
        {
            var target = TagsOf(request);
            if (operation == "Tag")
            {
                SetTags(target, tags);
            }
            else
            {
                foreach (var key in Items(root))
                {
                    target.Remove(key.Value);
                }
            }

            return new Reply(204);
        }
    }

    /// <summary>The tags of the resource named by the <c>Resource</c> query parameter (a distribution or function ARN).</summary>
    private Dictionary<string, string> TagsOf(HttpRequest request)
    {
        var arn = request.Query["Resource"].ToString();
        var prefix = state.Arn("");
        if (!arn.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new CloudFrontError("InvalidArgument", $"The resource '{arn}' is not a CloudFront ARN of this account.");
        }

        var resource = arn[prefix.Length..];
        var found = resource.StartsWith("distribution/", StringComparison.Ordinal) ? state.Distributions.GetValueOrDefault(resource["distribution/".Length..])?.Tags
            : resource.StartsWith("function/", StringComparison.Ordinal) ? state.Functions.GetValueOrDefault(resource["function/".Length..])?.Tags
            : null;
        return found ?? throw new CloudFrontError("NoSuchResource", $"The specified resource does not exist: {arn}.");
    }

    public static List<KeyValuePair<string, string>> ReadTags(XElement tags)
    {
        var result = new List<KeyValuePair<string, string>>();
        foreach (var tag in Items(tags))
        {
            var key = Text(tag, "Key")!;
            var value = Text(tag, "Value") ?? "";
            if (key.Length is 0 or > 128 || value.Length > 256 || !key.All(IsTagCharacter) || !value.All(IsTagCharacter))
            {
                throw new CloudFrontError("InvalidTagging", $"The tag '{key}' is not valid: keys have 1 to 128 characters, values up to 256, of letters, digits, spaces and _ . : / = + - @.");
            }

            if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
            {
                throw new CloudFrontError("InvalidTagging", $"The tag key '{key}' is reserved: keys may not start with 'aws:'.");
            }

            result.Add(new(key, value));
        }

        return result;
    }

    private static bool IsTagCharacter(char c) => char.IsLetterOrDigit(c) || char.IsWhiteSpace(c) || c is '_' or '.' or ':' or '/' or '=' or '+' or '-' or '@';

    public static void SetTags(Dictionary<string, string> target, List<KeyValuePair<string, string>> tags)
    {
        if (target.Keys.Union(tags.Select(t => t.Key), StringComparer.Ordinal).Count() > MaxTags)
        {
            throw new CloudFrontError("InvalidTagging", $"A resource can have at most {MaxTags} tags.");
        }

        foreach (var (key, value) in tags)
        {
            target[key] = value;
        }
    }
}
