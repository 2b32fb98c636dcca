{#- Commodity symbols and grade / contained-metal units. The parser already normalises; this
    is the warehouse's guarantee of one unit per commodity whatever a parser version left. -#}

{#- expr: the printed commodity with spaces, "_" and "-" removed ("Cu Eq" -> "CuEq") -#}
{% macro commodity_symbol(expr) -%}
    case lower({{ expr }})
        when 'copper' then 'Cu'
        when 'gold' then 'Au'
        when 'silver' then 'Ag'
        when 'molybdenum' then 'Mo'
        when 'moly' then 'Mo'
        when 'zinc' then 'Zn'
        when 'lead' then 'Pb'
        when 'nickel' then 'Ni'
        when 'cobalt' then 'Co'
        when 'platinum' then 'Pt'
        when 'palladium' then 'Pd'
        when 'uranium' then 'U3O8'
        when 'copperequivalent' then 'CuEq'
        when 'goldequivalent' then 'AuEq'
        when 'silverequivalent' then 'AgEq'
        when 'pge' then 'PGM'
        -- an allowed symbol in any case keeps the allowed spelling (U3O8, Li2O, TREO, CuEq)
        {%- for symbol in var('allowed_values')['commodity'] %}
        when '{{ symbol | lower }}' then '{{ symbol }}'
        {%- endfor %}
        else
            case
                when length({{ expr }}) > 2 and lower({{ expr }}) like '%eq'
                    then upper({{ expr }}[1:1]) || lower({{ expr }}[2:-3]) || 'Eq'
                else upper({{ expr }}[1:1]) || lower({{ expr }}[2:])
            end
    end
{%- endmacro %}

{#- A commodity's class decides its units (the var commodity_classes, as the parser's lexicon):
    precious metals in g/t and Moz, bulk commodities in % and Mt, the rest (base) in % and Mlb -#}
{% macro commodity_class(symbol_expr) -%}
    case
        when {{ symbol_expr }} in {{ sql_list(var('commodity_classes')['precious']) }} then 'precious'
        when {{ symbol_expr }} in {{ sql_list(var('commodity_classes')['bulk']) }} then 'bulk'
        else 'base'
    end
{%- endmacro %}

{% macro is_precious(symbol_expr) -%}
    ({{ symbol_expr }} in {{ sql_list(var('commodity_classes')['precious']) }})
{%- endmacro %}

{% macro unit_token(expr) -%}
    lower(regexp_replace(trim({{ expr }}), '\s+', '', 'g'))
{%- endmacro %}

{#- factor from a grade unit to the commodity's canonical one (g/t or %); null if unknown -#}
{% macro grade_factor(unit_expr, class_expr) -%}
    case
        when {{ class_expr }} = 'precious' then
            case {{ unit_token(unit_expr) }}
                when 'g/t' then 1.0
                when 'gpt' then 1.0
                when 'g/tonne' then 1.0
                when 'ppm' then 1.0
                when 'ppb' then 0.001
                when 'oz/t' then 34.285714
                when 'opt' then 34.285714
                when 'oz/ton' then 34.285714
                when '%' then 10000.0
            end
        else
            case {{ unit_token(unit_expr) }}
                when '%' then 1.0
                when 'pct' then 1.0
                when 'percent' then 1.0
                when 'ppm' then 0.0001
                when 'g/t' then 0.0001
            end
    end
{%- endmacro %}

{#- factor from a contained unit to Moz (precious), Mt (bulk) or Mlb (base); null if unknown -#}
{% macro contained_factor(unit_expr, class_expr) -%}
    case
        when {{ class_expr }} = 'precious' then
            case {{ unit_token(unit_expr) }}
                when 'moz' then 1.0
                when 'koz' then 0.001
                when 'oz' then 0.000001
                when 'kg' then 1.0 / 31103.4768
                when 't' then 1000.0 / 31103.4768
            end
        when {{ class_expr }} = 'bulk' then
            case {{ unit_token(unit_expr) }}
                when 'mt' then 1.0
                when 'kt' then 0.001
                when 't' then 0.000001
                when 'mlb' then 1.0 / 2204.62262
                when 'mlbs' then 1.0 / 2204.62262
            end
        else
            case {{ unit_token(unit_expr) }}
                when 'mlb' then 1.0
                when 'mlbs' then 1.0
                when 'blb' then 1000.0
                when 'blbs' then 1000.0
                when 'klb' then 0.001
                when 'lb' then 0.000001
                when 'lbs' then 0.000001
                when 't' then 0.00220462262
                when 'kt' then 2.20462262
                when 'mt' then 2204.62262
            end
    end
{%- endmacro %}

{#- contained metal per (Mt x grade) in canonical units: Mt x % / 100 x 2204.62262 = Mlb,
    Mt x % / 100 = Mt (bulk), Mt x g/t / 31.1034768 = Moz; null for any other pair -#}
{% macro contained_per_grade_tonnage(grade_unit_expr, contained_unit_expr) -%}
    case
        when {{ grade_unit_expr }} = '%' and {{ contained_unit_expr }} = 'Mlb' then 2204.62262 / 100
        when {{ grade_unit_expr }} = '%' and {{ contained_unit_expr }} = 'Mt' then 1.0 / 100
        when {{ grade_unit_expr }} = 'g/t' and {{ contained_unit_expr }} = 'Moz' then 1.0 / 31.1034768
    end
{%- endmacro %}

{#- metal in a plant's feed per (tonnes of ore x grade), in the metal's printed unit:
    t x g/t / 31.1034768 = oz, t x g/t / 1e6 = t, t x % / 100 x 2204.62262 = lb,
    t x % / 100 = t (the units operating results are stored in); null for any other pair -#}
{% macro metal_per_ore_grade(grade_unit_expr, metal_unit_expr) -%}
    case
        when {{ grade_unit_expr }} = 'g/t' and {{ metal_unit_expr }} = 'oz' then 1.0 / 31.1034768
        when {{ grade_unit_expr }} = 'g/t' and {{ metal_unit_expr }} = 't' then 1.0 / 1e6
        when {{ grade_unit_expr }} = '%' and {{ metal_unit_expr }} = 'lb' then 2204.62262 / 100
        when {{ grade_unit_expr }} = '%' and {{ metal_unit_expr }} = 't' then 1.0 / 100
    end
{%- endmacro %}
