using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static Poppy.Sdk.Emulator.Akamai.AkamaiJson;

namespace Poppy.Sdk.Emulator.Akamai.Resources;

/// <summary>Contracts, groups, products and CP codes (<c>/papi/v1/contracts</c>, <c>/groups</c>, <c>/products</c>, <c>/cpcodes</c>).</summary>
internal sealed class PrerequisiteEndpoints(AkamaiState state)
{
    private static readonly Dictionary<string, string> ProductNames = new(StringComparer.Ordinal)
    {
        ["Fresca"] = "Ion Standard",
        ["SPM"] = "Ion Premier",
        ["Site_Accel"] = "Dynamic Site Accelerator",
        ["Download_Delivery"] = "Download Delivery",
    };

    public void Map(IEndpointRouteBuilder routes)
    {
        var papi = routes.MapGroup("/papi/v1");
        papi.MapGet("/contracts", ContractsAsync);
        papi.MapGet("/groups", GroupsAsync);
        papi.MapGet("/products", ProductsAsync);
        papi.MapGet("/cpcodes", ListCpCodesAsync);
        papi.MapPost("/cpcodes", CreateCpCodeAsync);
        papi.MapGet("/cpcodes/{cpcodeId}", GetCpCodeAsync);
    }

    private Task ContractsAsync(HttpContext context)
    {
        var p = new Papi(state, context);
        return OkAsync(context, new JsonObject
        {
            ["accountId"] = p.Account,
            ["contracts"] = Papi.Items([new JsonObject { ["contractId"] = p.Contract, ["contractTypeName"] = "DIRECT_CUSTOMER" }]),
        });
    }

    private Task GroupsAsync(HttpContext context)
    {
        var p = new Papi(state, context);
        return OkAsync(context, new JsonObject
        {
            ["accountId"] = p.Account,
            ["accountName"] = "Poppy Emulator",
            ["groups"] = Papi.Items([new JsonObject
            {
                ["groupName"] = "Poppy Emulator-" + state.Options.GroupId,
                ["groupId"] = p.Group,
                ["contractIds"] = new JsonArray(p.Contract),
            }]),
        });
    }

    private Task ProductsAsync(HttpContext context)
    {
        var p = new Papi(state, context);
        if (p.Query("contractId").Length == 0)
        {
            throw AkamaiError.BadRequest("The query parameter 'contractId' is required.");
        }

        p.RequireContractAndGroup(required: false);
        return OkAsync(context, new JsonObject
        {
            ["accountId"] = p.Account,
            ["contractId"] = p.Contract,
            ["products"] = Papi.Items(state.Options.Products.Select(id => (JsonNode)new JsonObject
            {
                ["productName"] = ProductNames.GetValueOrDefault(id, id.Replace('_', ' ')),
                ["productId"] = Id("prd", id, p.Prefixes),
            })),
        });
    }

    private Task ListCpCodesAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        lock (state.Gate)
        {
            return OkAsync(context, p.Envelope(("cpcodes", Papi.Items(state.CpCodes.Values.OrderBy(c => c.Id).Select(c => CpCodeJson(p, c))))));
        }
    }

    private Task GetCpCodeAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        lock (state.Gate)
        {
            var cpcode = BareNumber("cpc", context.Request.RouteValues["cpcodeId"]?.ToString()) is { } n && state.CpCodes.TryGetValue(n, out var c)
                ? c
                : throw AkamaiError.NotFound($"The CP code '{context.Request.RouteValues["cpcodeId"]}' does not exist.");
            return OkAsync(context, p.Envelope(("cpcodes", Papi.Items([CpCodeJson(p, cpcode)]))));
        }
    }

    private async Task CreateCpCodeAsync(HttpContext context)
    {
        var p = new Papi(state, context).RequireContractAndGroup();
        var body = await ObjectBodyAsync(context).ConfigureAwait(false);
        var product = p.Product(Text(body, "productId"));
        var name = Text(body, "cpcodeName");
        if (string.IsNullOrWhiteSpace(name))
        {
            throw AkamaiError.BadRequest("The cpcodeName member is required.");
        }

        long id;
        lock (state.Gate)
        {
            if (state.CpCodes.Values.Any(c => c.Name == name))
            {
                throw AkamaiError.Papi(409, "papi/v1/cpcodes/name-not-unique", "Conflict", $"A CP code named '{name}' already exists on this contract.");
            }

            id = state.NewId();
            state.CpCodes[id] = new AkamaiCpCode(id, name, product, state.Time.GetUtcNow());
        }

        await CreatedAsync(context, "cpcodeLink", p.Link("cpcodes/" + Id("cpc", id, p.Prefixes))).ConfigureAwait(false);
    }

    private static JsonNode CpCodeJson(Papi p, AkamaiCpCode c) => new JsonObject
    {
        ["cpcodeId"] = Id("cpc", c.Id, p.Prefixes),
        ["cpcodeName"] = c.Name,
        ["createdDate"] = Date(c.Created),
        ["productIds"] = new JsonArray(Id("prd", c.ProductId, p.Prefixes)),
    };
}
