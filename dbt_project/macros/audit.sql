{#- Shared shape of the audit models (contract: one row per check instance, pass or fail).
    An instance passes iff observed lies within [lower_bound, upper_bound]; a null bound is
    unbounded on that side. -#}

{#- The final select of every audit_<family> model: `instances` must have check_name,
    filing_id, subject_key (stable within the filing), subject, table_index, source_line,
    expected, observed, tolerance, unit, lower_bound, upper_bound, detail. -#}
{% macro audit_select(instances, family, severity) -%}
    select
        md5({{ instances }}.check_name || '|' || {{ instances }}.filing_id || '|' || {{ instances }}.subject_key)
            as check_id,
        cast({{ instances }}.check_name as varchar) as check_name,
        '{{ family }}' as check_family,
        '{{ severity }}' as severity,
        {{ instances }}.filing_id,
        audited_filings.company_id,
        audited_filings.source_file,
        cast({{ instances }}.subject as varchar) as subject,
        cast({{ instances }}.table_index as integer) as table_index,
        cast({{ instances }}.source_line as integer) as source_line,
        cast({{ instances }}.expected as double) as expected,
        cast({{ instances }}.observed as double) as observed,
        cast({{ instances }}.tolerance as double) as tolerance,
        cast({{ instances }}.unit as varchar) as unit,
        cast({{ instances }}.lower_bound as double) as lower_bound,
        cast({{ instances }}.upper_bound as double) as upper_bound,
        cast({{ instances }}.detail as varchar) as detail,
    from {{ instances }}
    left join {{ ref('stg_raw__filings') }} as audited_filings
        on {{ instances }}.filing_id = audited_filings.filing_id
    where {{ instances }}.observed is not null
{%- endmacro %}

{#- half a unit of the last printed digit: the parser's when it recorded one, else read off
    the stored value's decimals (0.87 -> 0.005, 2548 -> 0.5). Trailing zeros of a whole
    number are taken as printed digits (500 -> 0.5, not 50): reading them as rounding would
    let an NPV of 500 pass for 400. -#}
{% macro half_unit(half_unit_expr, value_expr) -%}
    coalesce(
        {{ half_unit_expr }},
        case
            when {{ value_expr }} is null then null
            when {{ value_expr }} = 0 then 0.0
            else 0.5 * power(
                10.0,
                -coalesce(
                    list_min(
                        list_filter(
                            range(0, 10),
                            lambda k: abs({{ value_expr }} - round({{ value_expr }}, cast(k as integer)))
                                <= 1e-9 * greatest(1.0, abs({{ value_expr }}))
                        )
                    ),
                    9
                )
            )
        end
    )
{%- endmacro %}

{#- "Table 4 'Net loss'"-style fragments. Tables are counted from 1 in the order they appear,
    as a reader counts them (table_index itself is 0-based). -#}
{% macro table_ref(table_index_expr) -%}
    coalesce('Table ' || cast({{ table_index_expr }} + 1 as varchar), 'text')
{%- endmacro %}

{#- a number with a fixed count of decimals, for detail texts: "ratio 0.998" -#}
{% macro fmt(expr, decimals=3) -%}
    coalesce(printf('%.{{ decimals }}f', {{ expr }}), 'null')
{%- endmacro %}

{#- The values a parser may emit, after staging's normalisation. One place, so the
    structural audit and the Great Expectations suites (via audit.allowed_values) agree.
    Taken from ingest/minerals.py (COMMODITIES, categories, normalised units) and
    ingest/facts.py (fact units: ISO currency, "<ISO>/share", "shares"). -#}
{% macro allowed_values() -%}
    {{ return({
        'estimate_category': ['proven', 'probable', 'proven_probable', 'measured', 'indicated',
                              'measured_indicated', 'inferred', 'total'],
        'grade_unit': ['%', 'g/t'],
        'contained_unit': ['Mlb', 'Moz'],
        'commodity': ['Cu', 'Mo', 'Zn', 'Pb', 'Ni', 'Co', 'Sn', 'Sb', 'Bi', 'U3O8', 'V2O5', 'WO3',
                      'Au', 'Ag', 'Pt', 'Pd', 'Rh', 'PGM', 'Fe', 'Li2O', 'LCE', 'Li', 'Mn', 'TiO2',
                      'Cg', 'TREO', 'K2O', 'P2O5', 'CuEq', 'ZnEq', 'NiEq', 'PbEq', 'AuEq', 'AgEq',
                      'PdEq'],
    }) }}
{%- endmacro %}

{#- a fact's unit: an ISO currency, a per-share amount in one, a share count, or a production
    quantity's unit (ingest/facts.py PHYSICAL_UNITS) -#}
{% macro fact_unit_pattern() -%}
    {{ return('[A-Z]{3}(/share)?|shares|oz|koz|Moz|t|kt|Mt|lb|Mlb|g/t|%|wmt|dmt') }}
{%- endmacro %}

{% macro sql_list(values) -%}
    ({% for v in values %}'{{ v }}'{{ ', ' if not loop.last }}{% endfor %})
{%- endmacro %}
