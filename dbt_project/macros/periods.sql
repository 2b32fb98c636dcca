{#- Period identifiers and fiscal calendars. -#}

{#- period_id: "<end>/<months>m", e.g. "2012-12-31/3m"; "2012-12-31/0m" is the instant
    (a balance) at that date. Null when the end date is unknown. -#}
{% macro period_id(end_expr, months_expr) -%}
    case
        when {{ end_expr }} is not null and {{ months_expr }} is not null
            then strftime({{ end_expr }}, '%Y-%m-%d') || '/' || cast({{ months_expr }} as varchar) || 'm'
    end
{%- endmacro %}

{#- the first day of a flow period from its end and length when the filing did not print it:
    2012-09-30 over 3 months starts 2012-07-01. -#}
{% macro period_start_from_end(end_expr, months_expr) -%}
    case
        when {{ months_expr }} > 0
            then cast(cast({{ end_expr }} as date) + interval 1 day - to_months({{ months_expr }}) as date)
    end
{%- endmacro %}

{#- fiscal year a period ending on end_expr belongs to, for a fiscal year ending in month
    fye_month: with a June year end, a quarter ending 2012-09-30 is in fiscal 2013. -#}
{% macro fiscal_year(end_expr, fye_month_expr) -%}
    case
        when month({{ end_expr }}) <= {{ fye_month_expr }} then year({{ end_expr }})
        else year({{ end_expr }}) + 1
    end
{%- endmacro %}

{#- fiscal quarter (1-4) of a three-month period, null for other lengths. -#}
{% macro fiscal_quarter(end_expr, months_expr, fye_month_expr) -%}
    case
        when {{ months_expr }} = 3
            then ((month({{ end_expr }}) - {{ fye_month_expr }} - 1 + 12) % 12) // 3 + 1
    end
{%- endmacro %}
