"""The web page in Chinese shows the rule files' own Chinese (issue 12 §4): an explanation's
citation, exemptions and deadline words come from the `*_zh` fields through the API's lang=zh
JSON (`article_zh`, `says`), not English numbers wrapped in 第…条.
"""

from __future__ import annotations

from playwright.sync_api import expect

from test_web_page import JOBS, finding, upload


def test_an_explanation_in_chinese_uses_the_rule_files_chinese(page):
    upload(page, JOBS, as_of="2024-06-20")
    page.click("#lang-toggle")
    card = finding(page, "cbdt.standard-contract-or-certification", "transfer:crm-to-us")
    # CAC Order 16 Art. 8 as the finding cites it for a standard contract: the rule file's article_zh.
    expect(card.locator(".citation")).to_contain_text(
        "《促进和规范数据跨境流动规定》第8条（标准合同：《个人信息出境标准合同办法》第6、7条）")
    card.locator("details.explain summary").click()
    explanation = card.locator(".explanation")
    expect(explanation).to_be_visible()
    # An exemption tested: its article in Chinese (items as 项) and what it says, in Chinese.
    expect(explanation).to_contain_text("第5条第（一）至（三）项")
    expect(explanation).to_contain_text("为订立、履行与个人的合同，跨境人力资源管理或者紧急情况所必需")
    # The deadline's own words (Order 13 Art. 7), from says_zh.
    expect(explanation).to_contain_text("标准合同生效后10个工作日内向省级网信部门备案")
    expect(explanation).not_to_contain_text("file the contract with the provincial CAC")
    expect(explanation).not_to_contain_text("Art. 5(1)-(3)")

    page.click("#lang-toggle")   # and back: the English stays as the rule file writes it
    expect(card.locator(".citation")).to_contain_text("CAC Order 16 Art. 8 (standard contract: CAC Order 13 Arts. 6-7)")
