"""The hegui/1 manifest (../shared/spec/manifest.md) as typed models.

Every fact is optional: absent (or null) means unknown, never zero or false.
Unknown field names are errors, so a typo cannot silently become an unknown.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from hegui.manifest.types import Count, Country, Date, FactKind, Flag, Money, Ratio, Text

Id = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", strict=True)]


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChinaNexus(Section):
    """CSRC Trial Measures Art. 15 indirect-listing test, latest financial year."""
    revenue_share: Ratio | None = None
    total_profit_share: Ratio | None = None
    total_assets_share: Ratio | None = None
    net_assets_share: Ratio | None = None
    main_business_in_mainland: Flag | None = None
    management_mostly_mainland: Flag | None = None


class FinancialGroup(Section):
    financial_institution_types: Count | None = None
    controls_bank: Flag | None = None
    financial_assets_rmb: Money | None = None
    nonbank_financial_assets_rmb: Money | None = None
    trust_assets_under_management_rmb: Money | None = None


class Credit(Section):
    provides_personal_credit_info_to_financial_institutions: Flag | None = None
    personal_credit_reporting_licence: Flag | None = None
    via_licensed_credit_agency: Flag | None = None


class Exports(Section):
    """Organisation-wide cumulative export counts, in the windows the rules use."""
    pi_individuals_current_year: Count | None = None
    sensitive_pi_individuals_current_year: Count | None = None
    pi_individuals_since_previous_year: Count | None = None
    sensitive_pi_individuals_since_previous_year: Count | None = None


class Organisation(Section):
    name: Text
    incorporated_in: Country | None = None
    operates_in_mainland: Flag | None = None
    targets_mainland_individuals: Flag | None = None
    ciio: Flag | None = None
    network_platform_operator: Flag | None = None
    processes_important_data: Flag | None = None
    procures_network_products_affecting_national_security: Flag | None = None
    automated_decision_making: Flag | None = None
    pi_individuals: Count | None = None
    sensitive_pi_individuals: Count | None = None
    minors_pi: Flag | None = None
    registered_users: Count | None = None
    monthly_active_users: Count | None = None
    complex_business_and_significant_impact: Flag | None = None
    state_organ: Flag | None = None
    turnover_worldwide_rmb: Money | None = None
    turnover_china_rmb: Money | None = None
    foreign_ownership: Ratio | None = None
    china_nexus: ChinaNexus | None = None
    financial_group: FinancialGroup | None = None
    credit: Credit | None = None
    exports: Exports | None = None
    # New instruments in force (issue 10): facial recognition filing
    face_data_individuals: Count | None = Field(default=None, description=(
        "individuals whose face information, processed by applying facial recognition, the organisation "
        "stores (Facial Recognition Measures Art. 15); R&D and algorithm training are left out (Art. 2)"))
    face_data_threshold_reached_on: Date | None = Field(default=None, description=(
        "the day the stored face information first reached 100,000 individuals (Facial Recognition "
        "Measures Art. 15)"))


Content = Literal["news", "publishing", "audiovisual", "education", "healthcare", "finance", "other"]


class Service(Section):
    id: Id
    name: Text | None = None
    kind: Literal["website", "app", "mini_program", "game", "api", "other"] | None = None
    commercial: Flag | None = None
    launched_on: Date | None = None
    public_facing: Flag | None = None
    content: list[Content] | None = None
    algorithmic_recommendation: Flag | None = None
    public_opinion_attributes: Flag | None = None
    algorithmic_dispatch_of_workers: Flag | None = None
    generative_ai: Flag | None = None
    deep_synthesis: Flag | None = None
    emotional_companionship: Flag | None = None
    registered_users: Count | None = None
    monthly_active_users: Count | None = None
    online_game: Flag | None = None
    game_publication_approval: Flag | None = None
    serves_minors: Flag | None = None
    blockchain_information_service: Flag | None = None
    online_diagnosis: Flag | None = None
    issues_prescriptions: Flag | None = None
    ai_generated_prescriptions: Flag | None = None
    backed_by_physical_medical_institution: Flag | None = None
    automotive_data_processor: Flag | None = None
    automotive_pi_individuals: Count | None = None
    automotive_important_data: Flag | None = None
    autonomous_driving_road_testing: Flag | None = None
    collects_hd_map_data: Flag | None = None
    surveying_qualification: Flag | None = None
    # New instruments in force (issue 10): MLPS, facial recognition, network identity, competition, app PI
    mlps_level: Count | None = Field(default=None, description=(
        "security protection level (1 to 5) determined for the network or information system running the "
        "service under the multi-level protection scheme; leave it out while the system is ungraded"))
    facial_recognition: Flag | None = Field(default=None, description=(
        "the service applies facial recognition to face information to verify or identify individuals, "
        "other than only for R&D or algorithm training (Facial Recognition Measures Arts. 2, 19)"))
    face_verification_alternative: Flag | None = Field(default=None, description=(
        "users who do not agree to facial verification are offered another reasonable and convenient way "
        "to verify their identity (Facial Recognition Measures Art. 10)"))
    face_verification_required_by_law: Flag | None = Field(default=None, description=(
        "state rules require facial recognition for this identity verification (Facial Recognition "
        "Measures Art. 10 ¶2)"))
    national_network_identity: Flag | None = Field(default=None, description=(
        "the service has accessed the national network identity authentication public service (network "
        "number and certificate, 网号/网证)"))
    platform_for_merchants: Flag | None = Field(default=None, description=(
        "a platform on which other businesses (平台内经营者) sell goods or services (Anti-Unfair "
        "Competition Law Arts. 14, 21)"))
    refuses_basic_functions_without_nonnecessary_pi: Flag | None = Field(default=None, description=(
        "the app or mini program refuses its basic function service to users who do not agree to give "
        "personal information beyond what that function needs"))


class Transfer(Section):
    id: Id
    destination: Country | None = None
    started_on: Date | None = None
    includes_pi: Flag | None = None
    includes_sensitive_pi: Flag | None = None
    includes_important_data: Flag | None = None
    pi_individuals_current_year: Count | None = None
    sensitive_pi_individuals_current_year: Count | None = None
    pi_individuals_since_previous_year: Count | None = None
    sensitive_pi_individuals_since_previous_year: Count | None = None
    basis: Literal["none", "contract_with_individual", "cross_border_hr", "emergency"] | None = None
    collected_abroad_only: Flag | None = None
    ftz_exempt: Flag | None = None
    to_foreign_judicial_authority: Flag | None = None
    mechanism: Literal["none", "security_assessment", "standard_contract", "certification"] | None = None
    mechanism_effective_on: Date | None = None


class Listing(Section):
    id: Id
    venue: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*$", strict=True), FactKind("string")] | None = Field(
        default=None, description="exchange code: NYSE, NASDAQ, HKEX, LSE, SGX, SIX, TSE, ...")
    venue_country: Country | None = Field(default=None, description="derived from venue when omitted")
    kind: Literal["ipo", "follow_on", "other_market"] | None = None
    structure: Literal["direct", "indirect"] | None = None
    application_date: Date | None = None
    listing_date: Date | None = None

    @field_validator("venue_country")
    @classmethod
    def _outside_mainland(cls, country):
        if country == "CN":
            raise ValueError("expected a country outside mainland China (listings here are overseas), got 'CN'")
        return country


class Party(Section):
    name: Text | None = None
    turnover_worldwide_rmb: Money | None = None
    turnover_china_rmb: Money | None = None


class Concentration(Section):
    id: Id
    acquires_control: Flag | None = None
    signing_date: Date | None = None
    closing_date: Date | None = None
    parties: list[Party] | None = None


class ComplianceRecord(Section):
    obligation: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+\.[a-z0-9-]+$", strict=True)]
    subject: Annotated[str, StringConstraints(pattern=r"^(organisation|[a-z]+:[A-Za-z0-9][A-Za-z0-9_.\-]*)$",
                                              strict=True)]
    done_on: Date | None = None
    reference: Text | None = None


class Manifest(Section):
    format: Literal["hegui/1"]
    organisation: Organisation
    services: list[Service] = []
    transfers: list[Transfer] = []
    listings: list[Listing] = []
    concentrations: list[Concentration] = []
    compliance: list[ComplianceRecord] = []

    @model_validator(mode="after")
    def _unique_ids(self):
        for kind in SUBJECT_LISTS.values():
            seen = set()
            for entity in getattr(self, kind):
                if entity.id in seen:
                    raise ValueError(f"{kind}: id {entity.id!r} is used twice; ids must be unique")
                seen.add(entity.id)
        return self


# subject kind -> the manifest list holding its entities
SUBJECT_LISTS = {"service": "services", "transfer": "transfers", "listing": "listings",
                 "concentration": "concentrations"}
SUBJECT_MODELS = {"organisation": Organisation, "service": Service, "transfer": Transfer,
                  "listing": Listing, "concentration": Concentration}
