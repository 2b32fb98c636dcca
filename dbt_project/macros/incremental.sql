{#- Incremental models are rebuilt per company. Every row carries the company_signature of
    the filings it was built from (int_filings_versioned); a company is rebuilt when its
    current signature is not among the model's rows, i.e. a filing was added, re-parsed or
    superseded since the model last ran, or the last run failed before writing it. -#}

{#- The CTEs every per-company incremental model starts from (its config is in
    dbt_project.yml): `filings`, the parsed filing versions that have a company; `batch`, the
    company_id of the companies to (re)build this run; `batch_filings`, their filings.
    Use as `with {{ company_batch_filings() }}, <own ctes> ...`. -#}
{% macro company_batch_filings() -%}
filings as (

    select * from {{ ref('int_filings_versioned') }}
    where status = 'parsed' and company_id is not null

),

batch as (

    {{ changed_companies('filings') }}

),

batch_filings as (

    select filings.*
    from filings
    where filings.company_id in (select company_id from batch)

)
{%- endmacro %}

{#- select company_id of the companies to (re)build, from a relation or CTE with
    company_id and company_signature. -#}
{% macro changed_companies(filings) -%}
    select distinct f.company_id
    from {{ filings }} as f
    {%- if is_incremental() %}
    where not exists (
        select 1
        from {{ this }} as done
        where done.company_id = f.company_id
            and done.company_signature = f.company_signature
    )
    {%- endif %}
{%- endmacro %}

{#- post-hook: drop rows of companies whose signature is no longer current (a company
    renamed, filings removed), which delete+insert alone would leave behind. -#}
{% macro prune_stale_companies() -%}
    delete from {{ this }} as done
    where not exists (
        select 1
        from {{ ref('int_filings_versioned') }} as f
        where f.company_id = done.company_id
            and f.company_signature = done.company_signature
    )
{%- endmacro %}
