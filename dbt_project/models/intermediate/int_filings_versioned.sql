with

filings as (

    select * from {{ ref('stg_raw__filings') }}

),

raw_files as (

    select * from {{ ref('stg_raw__raw_files') }}

),

structural as (

    select * from {{ ref('audit_structural') }}

),

quarantine as (

    -- a filing failing any error check (a failed parse included) is quarantined: kept here
    -- and in dim_filing with its reasons, left out of every mart
    select
        filing_id,
        string_agg(
            check_name || ': ' || subject || ' (' || detail || ')',
            '; '
            order by check_name, subject
        ) as quarantine_reasons,

    from structural
    where severity = 'error'
        and (observed < coalesce(lower_bound, observed) or observed > coalesce(upper_bound, observed))
    group by filing_id

),

audited as (

    select
        filings.* replace (
            case
                when filings.status = 'parsed' and quarantine.filing_id is null then 'parsed'
                else 'quarantined'
            end as status,
            coalesce(filings.error, quarantine.quarantine_reasons) as error
        ),
        filings.status as parse_status,
        quarantine.quarantine_reasons,

    from filings
    left join quarantine
        on filings.filing_id = quarantine.filing_id

),

seen as (

    -- a content belongs to one filing; it may arrive as several of its versions (a file put
    -- back to earlier content is recorded again, as the filing's next version)
    select
        content_sha256,
        min(seen_at) as first_seen_at,
        max(version) as latest_seen_version,

    from raw_files
    group by content_sha256

),

seen_versions as (

    select
        filings.* replace (
            -- a parsed filing whose company the parser could not name still carries its
            -- values, under a company of its own until the parser names it
            case
                when filings.status = 'parsed'
                    then coalesce(filings.company_id, 'unidentified-' || filings.filing_key)
            end as company_id
        ),
        filings.company_id is not null as is_company_identified,
        coalesce(seen.first_seen_at, filings.parsed_at) as ingested_at,
        coalesce(seen.latest_seen_version, filings.version) as latest_seen_version,

    from audited as filings
    left join seen
        on filings.content_sha256 = seen.content_sha256

),

versions as (

    -- the newest version is the content seen last under the filing, whatever version number
    -- that content first arrived as
    select
        seen_versions.*,
        latest_seen_version = max(latest_seen_version) over (partition by filing_key)
            as is_newest_version,
        -- a newer version that failed to parse, or is quarantined, does not hide the last
        -- readable one
        status = 'parsed'
            and latest_seen_version
                = max(case when status = 'parsed' then latest_seen_version end)
                    over (partition by filing_key)
            as is_current_version,

    from seen_versions

),

parsed_versions as (

    select * from versions where status = 'parsed' and company_id is not null

),

fiscal_year_ends as (

    -- the month annual filings end in; most frequent wins, December when no annual is known
    select
        company_id,
        mode(month(period_end)) as fiscal_year_end_month,

    from parsed_versions
    where period_type = 'annual' and period_end is not null
    group by company_id

),

ordered as (

    select
        parsed_versions.*,
        -- "most recently filed": the filing's date, then its period, then when we got it
        row_number() over (
            partition by parsed_versions.company_id
            order by
                coalesce(parsed_versions.effective_date, parsed_versions.period_end) nulls first,
                parsed_versions.period_end nulls first,
                parsed_versions.ingested_at,
                parsed_versions.version,
                parsed_versions.filing_id
        ) as filed_order,
        -- what the company's incremental rows were built from; changes whenever a filing of
        -- the company is added, re-parsed or superseded (also by putting back an earlier
        -- version), or the model logic version moves
        md5(
            '{{ var("warehouse_logic_version") }}|'
            || string_agg(
                parsed_versions.filing_id || '@' || coalesce(cast(parsed_versions.parsed_at as varchar), '')
                || case when parsed_versions.is_current_version then '+' else '-' end,
                ','
            ) over (
                partition by parsed_versions.company_id
                order by parsed_versions.filing_id
                rows between unbounded preceding and unbounded following
            )
        ) as company_signature,
        coalesce(fiscal_year_ends.fiscal_year_end_month, 12) as fiscal_year_end_month,

    from parsed_versions
    left join fiscal_year_ends
        on parsed_versions.company_id = fiscal_year_ends.company_id

),

final as (

    select
        versions.*,
        ordered.filed_order,
        ordered.company_signature,
        ordered.fiscal_year_end_month,

    from versions
    left join ordered
        on versions.filing_id = ordered.filing_id

)

select * from final
