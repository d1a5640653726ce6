using System.Globalization;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontState;
using static Poppy.Sdk.Emulator.CloudFront.CloudFrontXml;

namespace Poppy.Sdk.Emulator.CloudFront.Resources;

/// <summary>
/// CloudFront Functions: create, describe and get (<c>?Stage=DEVELOPMENT|LIVE</c>), update
/// (<c>If-Match</c>), publish (copies DEVELOPMENT to LIVE), delete (refused while a distribution refers
/// to the function), list. Runtimes <c>cloudfront-js-1.0</c>/<c>2.0</c>; code up to the size quota.
/// </summary>
internal sealed class FunctionEndpoints(CloudFrontState state)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        var functions = routes.MapGroup(Prefix + "/function");
        functions.MapGet("", context => AnswerAsync(context, (request, _) => ListFunctions(request)));
        functions.MapPost("", context => AnswerAsync(context, CreateFunction));
        functions.MapGet("/{name}", context => AnswerAsync(context, (request, _) => GetFunctionCode(request, request.Route("name"))));
        functions.MapPut("/{name}", context => AnswerAsync(context, (request, body) => UpdateFunction(request, request.Route("name"), body)));
        functions.MapDelete("/{name}", context => AnswerAsync(context, (request, _) => DeleteFunction(request, request.Route("name"))));
        functions.MapGet("/{name}/describe", context => AnswerAsync(context, (request, _) => DescribeFunction(request, request.Route("name"))));
        functions.MapPost("/{name}/publish", context => AnswerAsync(context, (request, _) => PublishFunction(request, request.Route("name"))));
    }

    private Reply CreateFunction(HttpRequest request, byte[] body)
    {
        var create = ParseBody(body, "CreateFunctionRequest");
        CloudFrontSchema.Validate(create, "CreateFunctionRequest");
        var name = Text(create, "Name")!;
        if (name.Length is 0 or > 64 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_'))
        {
            throw new CloudFrontError("InvalidArgument", $"The function name '{name}' is not valid: 1 to 64 characters of a-z, A-Z, 0-9, '-' and '_'.");
        }

        var config = FunctionConfig(create);
        var code = FunctionCode(create);
        var tags = create.Element(Ns + "Tags") is { } tagElement ? TagEndpoints.ReadTags(tagElement) : [];
        lock (state.Gate)
        {
            if (state.Functions.ContainsKey(name))
            {
                throw new CloudFrontError("FunctionAlreadyExists", $"A function with the name '{name}' already exists in this AWS account.");
            }

            var now = state.Time.GetUtcNow();
            var function = new CloudFrontFunction(name, now)
            {
                DevelopmentConfig = config,
                DevelopmentCode = code,
                DevelopmentETag = state.NewId('E'),
                DevelopmentModified = now,
            };
            TagEndpoints.SetTags(function.Tags, tags);
            state.Functions.Add(name, function);
            return new Reply(201, FunctionSummary(function, Development), function.DevelopmentETag, LocationOf(request, "function/" + state.FunctionArn(name)));
        }
    }

    private Reply DescribeFunction(HttpRequest request, string name)
    {
        var stage = Stage(request, Development)!;
        lock (state.Gate)
        {
            var function = state.FindFunction(name, stage);
            return new Reply(200, FunctionSummary(function, stage), stage == Live ? function.LiveETag : function.DevelopmentETag);
        }
    }

    private Reply GetFunctionCode(HttpRequest request, string name)
    {
        var stage = Stage(request, Development)!;
        lock (state.Gate)
        {
            var function = state.FindFunction(name, stage);
            var code = stage == Live ? function.LiveCode! : function.DevelopmentCode;
            return new Reply(200, ETag: stage == Live ? function.LiveETag : function.DevelopmentETag, Raw: code);
        }
    }

    private Reply UpdateFunction(HttpRequest request, string name, byte[] body)
    {
        var update = ParseBody(body, "UpdateFunctionRequest");
        CloudFrontSchema.Validate(update, "UpdateFunctionRequest");
        var config = FunctionConfig(update);
        var code = FunctionCode(update);
        lock (state.Gate)
        {
            var function = state.FindFunction(name, Development);
            CheckIfMatch(request, function.DevelopmentETag);
            function.DevelopmentConfig = config;
            function.DevelopmentCode = code;
            function.DevelopmentETag = state.NewId('E');
            function.DevelopmentModified = state.Time.GetUtcNow();
            return new Reply(200, FunctionSummary(function, Development), function.DevelopmentETag) { ETagHeader = "ETtag" };
        }
    }

    private Reply PublishFunction(HttpRequest request, string name)
    {
        lock (state.Gate)
        {
            var function = state.FindFunction(name, Development);
            CheckIfMatch(request, function.DevelopmentETag);
            function.LiveConfig = new XElement(function.DevelopmentConfig);
            function.LiveCode = function.DevelopmentCode;
            function.LiveETag = state.NewId('E');
            function.LiveModified = state.Time.GetUtcNow();
            return new Reply(200, FunctionSummary(function, Live));
        }
    }

    private Reply DeleteFunction(HttpRequest request, string name)
    {
        lock (state.Gate)
        {
            var function = state.FindFunction(name, Development);
            var ifMatch = request.Headers.IfMatch.ToString();
            if (ifMatch.Length == 0)
            {
                throw InvalidIfMatch();
            }

            if (ifMatch != function.DevelopmentETag && ifMatch != function.LiveETag)
            {
                throw PreconditionFailed();
            }

            if (state.IsAssociated(name))
            {
                throw new CloudFrontError("FunctionInUse", "Cannot delete the function because it's attached to one or more cache behaviors.");
            }

            state.Functions.Remove(name);
            return new Reply(204);
        }
    }

    private Reply ListFunctions(HttpRequest request)
    {
        var (marker, maxItems) = Paging(request);
        var stage = Stage(request, null);
        lock (state.Gate)
        {
            var entries = state.Functions.Values
                .SelectMany(f => new[] { (Function: f, Stage: Development), (Function: f, Stage: Live) })
                .Where(e => (stage is null || e.Stage == stage) && (e.Stage == Development || e.Function.LiveCode is not null))
                .Select(e => (e.Function, e.Stage, Key: e.Function.Name + "/" + e.Stage))
                .Where(e => marker.Length == 0 || string.CompareOrdinal(e.Key, marker) > 0)
                .OrderBy(e => e.Key, StringComparer.Ordinal)
                .ToList();
            var page = entries.Take(maxItems).ToList();
            var truncated = entries.Count > page.Count;
            return new Reply(200, E(
                "FunctionList",
                truncated && page.Count > 0 ? E("NextMarker", page[^1].Key) : null,
                E("MaxItems", Int(maxItems)),
                E("Quantity", Int(page.Count)),
                page.Count > 0 ? E("Items", page.Select(e => FunctionSummary(e.Function, e.Stage))) : null));
        }
    }

    private XElement FunctionSummary(CloudFrontFunction f, string stage) => E(
        "FunctionSummary",
        E("Name", f.Name),
        E("Status", state.FunctionStatus(f)),
        new XElement(stage == Live ? f.LiveConfig! : f.DevelopmentConfig),
        E(
            "FunctionMetadata",
            E("FunctionARN", state.FunctionArn(f.Name)),
            E("Stage", stage),
            E("CreatedTime", Timestamp(f.Created)),
            E("LastModifiedTime", Timestamp(stage == Live ? f.LiveModified : f.DevelopmentModified))));

    private static string? Stage(HttpRequest request, string? fallback)
    {
        var stage = request.Query["Stage"].ToString();
        return stage.Length == 0 ? fallback
            : stage is Development or Live ? stage
            : throw new CloudFrontError("InvalidArgument", $"Stage must be DEVELOPMENT or LIVE, not '{stage}'.");
    }

    private static XElement FunctionConfig(XElement request)
    {
        var config = new XElement(request.Element(Ns + "FunctionConfig")!);
        var runtime = Text(config, "Runtime");
        if (runtime is not ("cloudfront-js-1.0" or "cloudfront-js-2.0"))
        {
            throw new CloudFrontError("InvalidArgument", $"The runtime '{runtime}' is not supported: use cloudfront-js-1.0 or cloudfront-js-2.0.");
        }

        return config;
    }

    private byte[] FunctionCode(XElement request)
    {
        var text = Text(request, "FunctionCode")!.Trim();
        var buffer = new byte[(text.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
        {
            throw Malformed("FunctionCode must be base64.");
        }

        if (length == 0)
        {
            throw new CloudFrontError("InvalidArgument", "FunctionCode must not be empty.");
        }

        if (length > state.Options.MaxFunctionCodeSize)
        {
            throw new CloudFrontError("FunctionSizeLimitExceeded", $"The function is too large: {length} bytes, at most {state.Options.MaxFunctionCodeSize}.");
        }

        return buffer[..length];
    }
}
