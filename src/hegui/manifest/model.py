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
    # the FHC licence deadline (issue 10)
    thresholds_met_on: Date | None = Field(default=None, description=(
        "the day the group first met the criteria for having to set up a financial holding company (two or "
        "more types of financial institution and the asset thresholds of FHC Measures Art. 6 and the State "
        "Council Decision §1(3)); a day before 2020-11-01 for a group that met them when the rules took effect"))


class Credit(Section):
    provides_personal_credit_info_to_financial_institutions: Flag | None = None
    personal_credit_reporting_licence: Flag | None = None
    via_licensed_credit_agency: Flag | None = None
    # sector rules (issue 10): the Art. 51 transition of the Credit Reporting Business Measures
    business_started_on: Date | None = Field(
        default=None, description="the day the organisation began providing personal credit information to "
        "financial institutions (carrying on the credit business in substance)")


class Exports(Section):
    """Organisation-wide cumulative export counts, in the windows the rules use."""
    pi_individuals_current_year: Count | None = None
    sensitive_pi_individuals_current_year: Count | None = None
    pi_individuals_since_previous_year: Count | None = None
    sensitive_pi_individuals_since_previous_year: Count | None = None
    # cross-border data (issue 10)
    threshold_reached_on: Date | None = Field(default=None, description=(
        "the day this year's cumulative exports reached a CAC Order 16 Art. 7(2) security-assessment threshold "
        "(1,000,000 individuals' non-sensitive PI or 10,000 individuals' sensitive PI)"))


# Value-added telecom services by the categories of the Telecom Services Catalogue (2015 edition):
# B11 idc, B12 cdn, B13 domestic_ip_vpn, B14 isp; B21 split into operating e-commerce (ecommerce) and
# the rest of online data processing and transaction processing, because foreign-equity rules treat
# them apart; B22-B24; B25 information services, over the internet (icp) or other networks; B26.
# `none` says it runs no value-added telecom service, where an empty list cannot be written (a
# table's empty cell, an interview answer).
TelecomService = Literal[
    "none", "idc", "cdn", "domestic_ip_vpn", "isp", "ecommerce", "online_data_processing_and_transaction_processing",
    "domestic_multiparty_communications", "store_and_forward", "call_centre", "icp",
    "information_services_other_networks", "coding_and_protocol_conversion"]


class Incident(Section):
    """The latest cybersecurity or data security incident the organisation has found (one at a time)."""
    discovered_on: Date | None = Field(default=None, description="the day the organisation found or learnt of it")
    grade: Literal["general", "relatively_major", "major", "especially_major"] | None = Field(
        default=None, description="its grade under the Incident Grading Guide annexed to the 2025 Incident "
                                  "Reporting Measures (一般, 较大, 重大, 特别重大)")
    involves_cii: Flag | None = Field(default=None, description="it touches critical information infrastructure")
    pi_compromised: Flag | None = Field(
        default=None, description="personal information was, or may have been, leaked, tampered with or lost")
    harms_others: Flag | None = Field(
        default=None, description="it harms the lawful rights and interests of individuals or organisations")


class Activities(Section):
    """Gate facts: whether the organisation carries on each area of activity at all. False says it
    carries on none of it; manifest/activities.yaml then gives the area's detailed facts (a
    service's online_game, the financial group's counts, ...) as false or zero where the manifest
    leaves them out, so they need not be asked. A fact the manifest gives always wins."""
    cross_border_data: Flag | None = Field(default=None, description=(
        "transfers personal information or important data out of mainland China, or lets it be accessed from abroad"))
    listing_abroad: Flag | None = Field(default=None, description=(
        "offers or lists securities outside mainland China (Hong Kong included), or is preparing to"))
    online_games: Flag | None = Field(default=None, description="publishes or operates online games")
    generative_ai: Flag | None = Field(default=None, description=(
        "offers generative AI, deep synthesis or AI companion services, or publishes AI-generated content"))
    online_healthcare: Flag | None = Field(default=None, description=(
        "offers online diagnosis or treatment, or issues prescriptions online"))
    vehicles: Flag | None = Field(default=None, description=(
        "makes, supplies, sells, repairs or operates vehicles or mobility services, tests autonomous driving "
        "on roads, or collects map data for high-definition maps"))
    credit_reporting: Flag | None = Field(default=None, description=(
        "collects, compiles or provides credit information on individuals or businesses (a credit reporting business)"))
    financial_institutions: Flag | None = Field(default=None, description=(
        "controls one or more financial institutions (banks, insurers, securities firms, trust companies and the like)"))
    telecom: Flag | None = Field(default=None, description=(
        "provides value-added telecom services in mainland China (internet information services, "
        "e-commerce platforms, data centres, CDN, ...), or holds a licence for them"))
    facial_recognition: Flag | None = Field(default=None, description=(
        "applies facial recognition to identify or verify individuals, or stores face information"))
    blockchain: Flag | None = Field(default=None, description="provides blockchain information services")


class Organisation(Section):
    name: Text
    activities: Activities | None = None
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
    # telecom licences and foreign investment (issue 10)
    telecom_services: list[TelecomService] | None = Field(default=None, description=(
        "value-added telecom services it provides or holds a licence for in mainland China, by Telecom "
        "Services Catalogue category; none (or an empty list) if it runs none"))
    negative_list_exemption_approved: Flag | None = Field(default=None, description=(
        "the State Council approved that its foreign investment need not follow the Negative List in the "
        "fields of its business (Negative List explanatory note 5)"))
    # AI labelling (issue 10)
    publishes_ai_generated_content: Flag | None = Field(
        default=None, description="publishes AI-generated or synthetic content through online content "
        "dissemination services (its own accounts or posts on platforms)")
    # cross-border data (issue 10)
    registered_in_pilot_ftz: Flag | None = Field(default=None, description=(
        "registered in a pilot free trade zone (CAC Order 16 Art. 6: only such processors may use the zone's "
        "negative list)"))
    registered_in_gba_mainland_city: Flag | None = Field(default=None, description=(
        "registered in one of the nine mainland cities of the Greater Bay Area (Guangzhou, Shenzhen, Zhuhai, "
        "Foshan, Huizhou, Dongguan, Zhongshan, Jiangmen, Zhaoqing)"))
    # PI governance, audits and incidents (issue 10)
    public_body: Flag | None = Field(
        default=None, description="a state organ, central or local, or an organisation authorised by law or "
                                  "regulation to administer public affairs (PIPL Arts. 33-37)")
    huge_user_base: Flag | None = Field(
        default=None, description="a huge number of users in the sense of PIPL Art. 58, which sets no number")
    pi_individuals_1m_reached_on: Date | None = Field(
        default=None, description="the day the count of individuals whose PI it processes first reached 1,000,000")
    compliance_audit_ordered: Flag | None = Field(
        default=None, description="a PI protection authority has required it to have a professional body audit "
                                  "its PI processing (PI Compliance Audit Measures Art. 5)")
    audit_rectification_completed_on: Date | None = Field(
        default=None, description="the day the rectification after an authority-required audit was completed")
    incident: Incident | None = None
    # New instruments in force (issue 10): facial recognition filing
    face_data_individuals: Count | None = Field(default=None, description=(
        "individuals whose face information, processed by applying facial recognition, the organisation "
        "stores (Facial Recognition Measures Art. 15); R&D and algorithm training are left out (Art. 2)"))
    face_data_threshold_reached_on: Date | None = Field(default=None, description=(
        "the day the stored face information first reached 100,000 individuals (Facial Recognition "
        "Measures Art. 15)"))


Content = Literal["news", "publishing", "audiovisual", "education", "healthcare", "finance", "other",
                  # internet culture business other than music, and online music (issue 10)
                  "internet_culture", "music"]
SynthesisFunction = Literal["text_dialogue", "voice", "face", "immersive_scene", "other_generation", "minor_editing"]


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
    # AI labelling and algorithm filing changes (issue 10)
    synthesis_functions: list[SynthesisFunction] | None = Field(
        default=None, description="generation or synthesis functions offered: text_dialogue (dialogue or writing "
        "simulating a natural person), voice (synthetic or imitated voices), face (generating, swapping or "
        "manipulating faces, figures or postures), immersive_scene (immersive realistic scenes), other_generation "
        "(other functions generating or significantly changing content), minor_editing (edits that do not "
        "significantly change it); Deep Synthesis Provisions Art. 17 para. 1")
    content_distribution_platform: Flag | None = Field(
        default=None, description="disseminates content that users publish (network information content "
        "dissemination service: social media, short video, forums and the like)")
    app_distribution_platform: Flag | None = Field(
        default=None, description="distributes other providers' apps (an app store or other app distribution platform)")
    changed_on: Date | None = Field(
        default=None, description="date of the latest change to the particulars filed for the service (algorithm or "
        "blockchain filing); absent when no change is recorded")
    terminated_on: Date | None = Field(
        default=None, description="date the service ends or ended; absent while it runs")
    # sector rules (issue 10): minors online
    live_streaming: Flag | None = Field(default=None, description="provides online live streaming (网络直播)")
    social_networking: Flag | None = Field(default=None, description="provides online social networking (网络社交)")
    carries_info_affecting_minors: Flag | None = Field(
        default=None, description="makes, copies, publishes or transmits information that may affect minors' "
        "physical and mental health (Minors Online Protection Regulations Art. 23; Classification Measures 2026)")
    dedicated_to_minors: Flag | None = Field(
        default=None, description="a product or service provided specially for minors (专门以未成年人为服务对象)")
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
    mechanism: Literal["none", "security_assessment", "standard_contract", "certification",
                       "gba_standard_contract"] | None = None
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
    # sector rules (issue 10): OTC quotation and the CSRC transitional arrangement of 2023
    venue_type: Literal["exchange", "otc"] | None = Field(
        default=None, description="exchange: listed on a stock exchange; otc: quoted on an over-the-counter "
        "market only. A listing without it is read as an exchange listing")
    overseas_approval_date: Date | None = Field(
        default=None, description="the day the foreign regulator or exchange approved the listing under which "
        "it completed (Hong Kong hearing passed, US registration effective)")
    csrc_approval_valid: Flag | None = Field(
        default=None, description="a direct (H-share) issue completed within the validity of an approval the "
        "CSRC granted before 2023-03-31")

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
    # sector rules (issue 10): AML Art. 27 (2007: Art. 22) intra-group exemptions
    intra_group_party_holding: Ratio | None = Field(
        default=None, description="where one party holds voting shares or assets of every other party: the "
        "smallest such holding (the larger of its voting-share and asset share in each other party); 0 if none")
    intra_group_outsider_holding: Ratio | None = Field(
        default=None, description="where one undertaking that is not a party holds voting shares or assets of "
        "every party: the smallest such holding (the larger of its voting-share and asset share in each party); "
        "0 if none")


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
