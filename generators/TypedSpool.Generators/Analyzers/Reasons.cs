using Microsoft.CodeAnalysis;
using TypedSpool.Generators.Model;
using TypedSpool.Generators.Parsing;

namespace TypedSpool.Generators.Analyzers
{
    /// <summary>The "why, and what instead" part of the analyzers' messages.</summary>
    internal static class Reasons
    {
        public static string AttributeName(TaskKind kind) => kind switch
        {
            TaskKind.Raw => "[SpoolRaw]",
            TaskKind.Forever => "[SpoolForever]",
            _ => "[Spool]",
        };

        public static string ReturnType(IMethodSymbol method, TaskKind kind)
        {
            string allowed = kind == TaskKind.Raw
                ? "a [SpoolRaw] task returns SpoolResult, Task<SpoolResult> or ValueTask<SpoolResult>"
                : $"a {AttributeName(kind)} task returns void, Task or ValueTask"
                  + (kind == TaskKind.Spool ? "; to choose the outcome yourself, use [SpoolRaw] and return a SpoolResult" : "");
            return method.IsAsync && method.ReturnsVoid
                ? "an async void method cannot be awaited, so the worker would not see it finish or fail; return Task instead (" + allowed + ")"
                : allowed;
        }

        public static string Unsupported(IParameterSymbol parameter)
        {
            if (parameter.RefKind != RefKind.None) return "ref, out and in parameters cannot be sent; take the value itself";
            var type = Unwrap(parameter.Type);
            if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer) return "a pointer means nothing in another process";
            if (IsStream(type)) return "a stream cannot be stored in a key; use [Body] byte[] (or ReadOnlyMemory<byte>) for bulk data";
            if (type.SpecialType == SpecialType.System_Object || type.TypeKind == TypeKind.Dynamic)
            {
                return "its runtime type is unknown at compile time and TypedSpool never serializes by reflection; use a concrete type";
            }
            if (type.TypeKind == TypeKind.Delegate || type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate)
            {
                return "a delegate is code, not data; send the data it needs instead";
            }
            if (type.TypeKind == TypeKind.TypeParameter) return "a type parameter has no encoding known at compile time; use a concrete type";
            if (type.IsRefLikeType) return "a ref struct cannot be stored; use byte[], ReadOnlyMemory<byte> or string";
            return "TypedSpool has no encoding for it";
        }

        public static string InvalidBody(IParameterSymbol parameter)
        {
            var type = Unwrap(parameter.Type);
            if (SpoolRules.IsNamed(type, KnownNames.CancellationToken)) return "a CancellationToken is supplied by the worker when the task runs, not sent; remove [Body]";
            if (SpoolRules.IsNamed(type, KnownNames.SpoolContext)) return "a SpoolContext is supplied by the worker when the task runs, not sent; remove [Body]";
            if (SpoolRules.HasAttribute(parameter, KnownNames.FromServicesAttribute)) return "a [FromServices] parameter is resolved from the worker's services, not sent; remove [Body] or [FromServices]";
            if (IsStream(type)) return "a stream cannot be stored; use [Body] byte[] or ReadOnlyMemory<byte>";
            return $"a body is byte[], ReadOnlyMemory<byte>, string or a type serialized by the JSON context, and '{parameter.Type.ToDisplayString()}' cannot be serialized";
        }

        private static ITypeSymbol Unwrap(ITypeSymbol type)
            => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;

        private static bool IsStream(ITypeSymbol type)
        {
            for (var t = type; t is not null; t = t.BaseType)
            {
                if (SpoolRules.IsNamed(t, KnownNames.Stream)) return true;
            }
            return false;
        }
    }
}
