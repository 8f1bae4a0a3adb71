// zh-CN problem details, one per stable problem code (RFC 9457 `code`). What each says comes from
// where the code is raised (grep the code in src/); texts are generic over names and values,
// which the caller appends. Sorted by code; a unit test checks the order and that every code
// raised in src/ has an entry.
#include <algorithm>
#include <array>

#include "wfe/problem_texts.h"

namespace signet::wfe {
namespace {

struct Entry {
  std::string_view code;
  std::string_view zh;
};

// Codes raised only at start-up or by the CLI (config_syntax, bad_master_key, lease_lost...) and
// ACME problem types (urn:ietf:params:acme:error:*, which ACME clients read) have no entry.
// Besides the REST codes, the table has the reasons of the CSR, DNS and connection checks, and the
// pre-issuance lints (e_*), whose name becomes the code when a certificate fails them.
constexpr std::array<Entry, 190> kZh = {{
    {"account_required",
     "请指定账号：所有者和成员必须归属于某个账号；若该用户属于多个账号，也须指明要使用哪一个。"},
    {"already_exists", "资源已存在（名称或目标重复），请更换后重试，或直接使用已有的资源。"},
    {"already_issued", "证书已签发，订单无法取消；如需停用证书，请吊销证书。"},
    {"already_member", "该用户已是此账号的成员，无需重复添加。"},
    {"already_revoked", "该证书已被吊销，无需重复操作。"},
    {"api_key_account_fixed",
     "API 密钥只属于一个账号，无法切换账号；如需在其他账号中操作，请在该账号中创建 API 密钥。"},
    {"bad_ca", "CA 证书不是有效的 PEM 证书，或与其私钥不匹配，请检查 CA 文件。"},
    {"bad_caa", "CAA 记录格式不正确，请修正或删除该记录后重试。"},
    {"bad_csr", "证书签名请求（CSR）无法使用，请检查后重新生成并提交。"},
    {"bad_server", "DNS 服务器地址无效，请填写正确的 IP 地址（可带端口）。"},
    {"caa",
     "域名的 CAA 记录不允许本 CA 签发证书，请在 CAA 记录中授权本 CA，或删除相关限制后重试。"},
    {"caa_forbidden", "域名的 CAA 记录不允许本 CA 签发证书，请在 CAA 记录中授权本 CA 后重试。"},
    {"caa_lookup_failed", "CAA 记录查询失败，无法确认是否允许签发，请检查域名的 DNS 服务后重试。"},
    {"caa_malformed", "域名的 CAA 记录无法解析，请修正或删除该记录后重试。"},
    {"cancelled", "订单已取消，无法执行此操作。"},
    {"certificate_active",
     "证书仍在有效期内，删除只会将其从列表中隐藏，到期前它仍然受信任。请先吊销证书，"
     "或确认后强制删除。"},
    {"certificate_expired", "该证书已过期，无法托管，请上传有效期内的证书。"},
    {"chain_incomplete",
     "证书链无法构建到受信任的根证书，请在证书链中补充中间证书（如使用私有根证书，"
     "也请一并提供）。"},
    {"chain_invalid", "证书链无法构建到根证书，请检查证书链是否完整、顺序是否正确。"},
    {"chain_missing", "请提供该 CA 之上直至根证书的完整证书链。"},
    {"challenge_started", "该授权已开始验证，不能重复应答。"},
    {"conflict", "资源当前的状态不允许此操作，请刷新后确认状态再重试。"},
    {"connection",
     "无法连接到您的服务器，请检查域名解析、防火墙设置以及 80、443 端口是否可从公网访问。"},
    {"connection_failed", "无法连接到您的服务器，请检查地址、防火墙设置以及端口是否可从公网访问。"},
    {"csr_bad_signature",
     "证书签名请求（CSR）的签名校验失败：内容被修改过或使用了其他私钥签名，请重新生成 CSR。"},
    {"csr_name_mismatch",
     "证书签名请求（CSR）中的域名与订单不一致，请使用订单中的域名重新生成 CSR。"},
    {"csr_unparseable",
     "无法解析证书签名请求（CSR），请粘贴从 -----BEGIN CERTIFICATE REQUEST----- 到 "
     "-----END CERTIFICATE REQUEST----- 的完整内容。"},
    {"csrf_token_invalid",
     "使用登录会话发起的请求须在 X-CSRF-Token 请求头中携带当前会话的 CSRF 令牌，"
     "请刷新页面后重试。"},
    {"dns", "DNS 查询失败，请检查域名的解析记录和域名服务器是否正常。"},
    {"dns_error", "DNS 查询失败或超时，请检查域名的域名服务器是否正常响应。"},
    {"dns_update_failed",
     "无法向 DNS 服务器发送更新或未收到响应，请检查服务器地址、端口和网络连通性。"},
    {"dns_update_refused",
     "DNS 服务器拒绝了更新请求，请检查 TSIG 密钥的名称、算法和密钥值，以及该密钥的更新权限。"},
    {"dnssec_bogus", "DNSSEC 校验失败，请修正该域名区域的 DNSSEC 签名或 DS 记录。"},
    {"domain_allowance",
     "所填域名的数量或类型超出了该产品的覆盖范围，请减少域名，或选择多域名、通配符产品。"},
    {"duplicate_domain", "域名重复，请删除重复的域名；附加域名不能与主域名相同。"},
    {"e_aia_ca_issuers_missing",
     "签发前的证书合规检查未通过：证书缺少颁发机构信息访问（AIA）中的 caIssuers 地址。"
     "请联系管理员处理。"},
    {"e_aki_mismatch",
     "签发前的证书合规检查未通过：颁发机构密钥标识符（AKI）与签发者的密钥不一致。"
     "请联系管理员处理。"},
    {"e_aki_missing",
     "签发前的证书合规检查未通过：证书缺少颁发机构密钥标识符（AKI）。请联系管理员处理。"},
    {"e_basic_constraints_ca",
     "签发前的证书合规检查未通过：订户证书不能标记为 CA 证书。请联系管理员处理。"},
    {"e_cn_not_in_san",
     "签发前的证书合规检查未通过：证书的通用名称（CN）不在使用者可选名称（SAN）中。"
     "请检查申请信息，如仍失败请联系管理员。"},
    {"e_crl_distribution_points_missing",
     "签发前的证书合规检查未通过：证书缺少 CRL 分发点。请联系管理员处理。"},
    {"e_dv_subject_has_identity",
     "签发前的证书合规检查未通过：DV 证书的主题不能包含组织、地址等身份信息。请联系管理员处理。"},
    {"e_eku_any",
     "签发前的证书合规检查未通过：扩展密钥用法不能包含任意用途（anyExtendedKeyUsage）。"
     "请联系管理员处理。"},
    {"e_eku_forbidden_purpose",
     "签发前的证书合规检查未通过：扩展密钥用法包含 TLS 证书不允许的用途。请联系管理员处理。"},
    {"e_eku_server_auth_missing",
     "签发前的证书合规检查未通过：扩展密钥用法须包含服务器身份验证（serverAuth）。"
     "请联系管理员处理。"},
    {"e_ev_business_category_missing",
     "签发前的证书合规检查未通过：EV 证书的主题缺少企业类别。请检查申请信息，"
     "如仍失败请联系管理员。"},
    {"e_ev_jurisdiction_missing",
     "签发前的证书合规检查未通过：EV 证书的主题缺少注册地所在国家。请检查申请信息，"
     "如仍失败请联系管理员。"},
    {"e_ev_serial_number_missing",
     "签发前的证书合规检查未通过：EV 证书的主题缺少注册号（营业执照注册号）。请检查申请信息，"
     "如仍失败请联系管理员。"},
    {"e_key_usage_ca_bits",
     "签发前的证书合规检查未通过：订户证书的密钥用法不能包含证书签名或 CRL 签名。"
     "请联系管理员处理。"},
    {"e_key_usage_digital_signature_missing",
     "签发前的证书合规检查未通过：密钥用法须包含数字签名。请联系管理员处理。"},
    {"e_key_usage_ecdsa_encipherment",
     "签发前的证书合规检查未通过：ECDSA 密钥的证书不能包含密钥加密用法。请联系管理员处理。"},
    {"e_key_usage_not_critical",
     "签发前的证书合规检查未通过：密钥用法扩展须标记为关键扩展。请联系管理员处理。"},
    {"e_name_constraints_present",
     "签发前的证书合规检查未通过：订户证书不能包含名称约束扩展。请联系管理员处理。"},
    {"e_not_before_backdated",
     "签发前的证书合规检查未通过：证书生效时间被回溯了 48 小时以上。请联系管理员处理。"},
    {"e_not_before_in_future",
     "签发前的证书合规检查未通过：证书生效时间晚于当前时间（服务器时钟可能有误）。"
     "请联系管理员处理。"},
    {"e_ov_subject_country_missing",
     "签发前的证书合规检查未通过：证书主题缺少国家。请检查申请信息，如仍失败请联系管理员。"},
    {"e_ov_subject_locality_missing",
     "签发前的证书合规检查未通过：证书主题缺少城市或省份。请检查申请信息，如仍失败请联系管理员。"},
    {"e_ov_subject_organization_missing",
     "签发前的证书合规检查未通过：证书主题缺少组织名称。请检查申请信息，如仍失败请联系管理员。"},
    {"e_policy_oid_missing",
     "签发前的证书合规检查未通过：证书策略缺少该产品类型要求的策略 OID。请联系管理员处理。"},
    {"e_san_dns_name_invalid",
     "签发前的证书合规检查未通过：使用者可选名称（SAN）中有无效的 DNS 名称。请检查申请信息，"
     "如仍失败请联系管理员。"},
    {"e_san_missing",
     "签发前的证书合规检查未通过：证书缺少使用者可选名称（SAN）。请联系管理员处理。"},
    {"e_san_names_mismatch",
     "签发前的证书合规检查未通过：使用者可选名称（SAN）与订单中的域名不完全一致。"
     "请联系管理员处理。"},
    {"e_san_unexpected_type",
     "签发前的证书合规检查未通过：使用者可选名称（SAN）中包含非 DNS 类型的名称。"
     "请联系管理员处理。"},
    {"e_serial_entropy",
     "签发前的证书合规检查未通过：证书序列号的随机位数不足 64 位。请联系管理员处理。"},
    {"e_serial_not_positive", "签发前的证书合规检查未通过：证书序列号须为正数。请联系管理员处理。"},
    {"e_serial_too_long", "签发前的证书合规检查未通过：证书序列号超过 20 字节。请联系管理员处理。"},
    {"e_signature_algorithm_mismatch",
     "签发前的证书合规检查未通过：证书签名算法与签发者的密钥类型不一致。请联系管理员处理。"},
    {"e_subscriber_key_unsupported_key",
     "签发前的证书合规检查未通过：证书中的公钥类型或参数不受支持，请使用 RSA 或 ECDSA "
     "密钥重新申请。"},
    {"e_subscriber_key_weak_key",
     "签发前的证书合规检查未通过：证书中的公钥强度不足或存在缺陷，请重新生成密钥后再申请。"},
    {"e_validity_inverted",
     "签发前的证书合规检查未通过：证书的失效时间早于生效时间。请联系管理员处理。"},
    {"e_validity_period_too_long",
     "签发前的证书合规检查未通过：证书有效期超过了行业规范（BR）允许的最长期限。"
     "请联系管理员处理。"},
    {"e_version_not_3", "签发前的证书合规检查未通过：证书版本须为 v3。请联系管理员处理。"},
    {"eab_key_used", "该 EAB 密钥已被吊销或已使用，请创建新的 EAB 密钥。"},
    {"empty_label", "域名中有空标签（连续两个点或以点开头），请删除多余的点。"},
    {"empty_name", "域名不能为空，请输入如 www.example.com 的域名。"},
    {"empty_upload", "上传的文件为空，请重新选择文件。"},
    {"forbidden", "当前账号或角色无权执行此操作，如需权限请联系账号所有者或管理员。"},
    {"free_email",
     "EV 证书申请须使用管理员的企业邮箱，不能使用免费邮箱，请改用组织自有域名的邮箱地址。"},
    {"header_too_large", "请求头过大，请清理浏览器 Cookie 或精简请求头后重试。"},
    {"incomplete_application", "申请信息不完整，请先补全缺少的项目后再提交。"},
    {"individual_not_allowed", "个人只能申请 DV 证书；OV 和 EV 证书须以组织名义申请。"},
    {"internal", "服务器内部错误，请稍后重试；如问题持续，请将请求 ID 提供给管理员。"},
    {"internal_name",
     "该名称是内部名称，其顶级域不是公共顶级域；公开信任的证书只能包含已注册的域名。"},
    {"invalid_account", "账号名称不能超过 100 个字符，请修改后重试。"},
    {"invalid_algorithm",
     "不支持该密钥算法，请选择 ecdsa-p256、ecdsa-p384、rsa-2048、rsa-3072 或 rsa-4096。"},
    {"invalid_certificate",
     "无法读取证书，请提供有效的 PEM 或 DER 格式证书；中间证书请放在证书链中。"},
    {"invalid_character", "域名包含不允许的字符，只能使用字母、数字、连字符和点。"},
    {"invalid_csr", "无法读取证书签名请求（CSR），请提供有效的 PEM 或 DER 格式 CSR。"},
    {"invalid_email", "邮箱地址格式不正确，请输入如 name@example.com 的有效地址。"},
    {"invalid_field", "字段的取值不符合要求，请按接口说明修改后重试。"},
    {"invalid_format",
     "不支持该下载格式，请选择 nginx、apache、iis、tomcat、pem、der、pkcs7、pkcs12、jks 或 "
     "chain。"},
    {"invalid_hyphen", "域名标签不能以连字符开头或结尾，请修改域名。"},
    {"invalid_idn", "国际化域名（IDN）无效，请直接输入该域名的原文，或检查以 xn-- 开头的标签。"},
    {"invalid_issuance",
     "签发请求无效（例如缺少域名，或公开信任的证书包含 IP 地址），请检查订单内容。"},
    {"invalid_key", "无法读取 CA 私钥：口令错误或不是 PEM 格式，请检查后重试。"},
    {"invalid_name",
     "名称无效：长度不能超过 100 个字符，签发者名称只能包含小写字母、数字和连字符。请修改后重试。"},
    {"invalid_page_size", "每页数量须为 1 到 200 之间的整数。"},
    {"invalid_page_token", "分页令牌无效或与当前排序不符，请从第一页重新查询。"},
    {"invalid_password", "导出密码须为 8 到 128 位可打印的 ASCII 字符，请重新设置。"},
    {"invalid_private_key",
     "无法读取私钥，请提供一个 PEM 或 DER 格式的私钥（PKCS#8、RSA 或 EC）；"
     "填写私钥密码时须同时提供私钥。"},
    {"invalid_product_type", "产品类型无效，请选择 dv、ov、ev 或 private。"},
    {"invalid_query",
     "查询参数无效，请检查搜索关键词（最多 100 个字符）、排序、状态或到期天数等条件。"},
    {"invalid_reason",
     "吊销原因无效，请选择 unspecified、keyCompromise、affiliationChanged、superseded、"
     "cessationOfOperation 或 privilegeWithdrawn。"},
    {"invalid_role",
     "角色无效，请选择所有者（owner）、成员（member）、审核员（reviewer）或管理员（admin）。"},
    {"invalid_status",
     "用户状态只能设为启用（active）或停用（disabled）；如需重新邀请，请发送新的邀请。"},
    {"invalid_subject",
     "证书主题中的某个字段无法容纳所填内容（可能过长或包含不支持的字符），请修改申请信息。"},
    {"invalid_tld", "域名以数字结尾，不是有效的顶级域（可能是不完整的 IP 地址），请检查域名。"},
    {"invalid_wildcard", "通配符位置不正确：只能在域名最左侧使用一个“*.”，例如 *.example.com。"},
    {"invitation_invalid", "邀请链接无效：已被使用、撤回或已过期，请联系账号所有者重新发送邀请。"},
    {"invitation_used", "该邀请已被使用或撤回，请联系账号所有者重新发送邀请。"},
    {"ip_address_unsupported", "暂不支持为 IP 地址签发证书，请为指向该 IP 地址的域名申请证书。"},
    {"issuance_failed", "该证书此前已被拒绝签发，请根据失败原因修正后重新下单。"},
    {"issuing_elsewhere", "证书正在由其他进程签发，请稍后刷新查看结果。"},
    {"key_changed", "账号密钥已在此期间被更改，请使用最新的密钥重试。"},
    {"key_encrypted", "私钥已加密，请同时填写私钥密码，或上传未加密的私钥。"},
    {"key_encryption_too_costly",
     "私钥的加密参数过高（密钥派生迭代超过 100 万次），请用常规参数重新加密，或上传未加密的私钥。"},
    {"key_in_use", "该密钥已被其他 ACME 账号使用，请更换新的密钥。"},
    {"key_mismatch", "私钥与证书不匹配，请上传该证书签发时所用的私钥。"},
    {"label_too_long", "域名标签过长，每个标签最多 63 个字符，请缩短域名。"},
    {"last_owner", "该操作会使账号没有启用中的所有者，请先将其他成员设为所有者。"},
    {"malformed", "请求格式或参数不正确，请检查后重试。"},
    {"malformed_http", "请求不是有效的 HTTP/1.1 请求，请检查客户端或代理的设置。"},
    {"malformed_json", "请求体必须是有效的 JSON 对象（嵌套不能过深），请检查格式后重试。"},
    {"malformed_target", "请求路径或查询参数格式不正确，请检查 URL 后重试。"},
    {"membership_disabled", "您在该账号中的访问权限已被停用，请联系账号所有者。"},
    {"method_not_allowed",
     "不允许使用该方式：此接口不支持所用的 HTTP 方法，"
     "或所选的域名验证方式不适用于该域名（例如通配符域名不能使用文件验证）。请改用允许的方式。"},
    {"method_not_configured",
     "本系统未配置该域名验证方式，请改用其他验证方式（如 DNS 验证），或联系管理员配置。"},
    {"missing_field", "缺少必填字段，请补充后重试。"},
    {"name_too_long", "域名过长，最多 253 个字符，请缩短域名。"},
    {"no_address", "域名没有 A 或 AAAA 记录，请将域名解析到您的服务器后重试。"},
    {"no_private_key",
     "系统未保存该证书的私钥（使用自有 CSR 申请或上传时未附私钥），无法生成包含私钥的格式，"
     "请改用 pem 或 chain 等格式，并搭配您自己的私钥使用。"},
    {"not_a_ca",
     "该证书不是可签发证书的 CA 证书（基本约束须为 CA:TRUE，且密钥用法包含证书签名），"
     "请提供正确的 CA 证书。"},
    {"not_accepted", "该用户尚未接受邀请，无法启用；请重新发送邀请，对方接受后即可生效。"},
    {"not_acme", "该订单不是通过 ACME 创建的，无法执行此操作。"},
    {"not_editable",
     "订单当前状态不允许修改申请信息或上传资料；提交后申请信息不能更改，"
     "如需更改请取消订单后重新下单。"},
    {"not_found", "请求的资源不存在，或当前账号无权查看。请检查 ID 或链接是否正确。"},
    {"not_fully_qualified", "域名只有一级，请填写完整的域名，例如 www.example.com。"},
    {"not_in_review", "该订单当前不在等待审核的状态，无法进行审核。"},
    {"not_invited", "该用户已加入此账号，无需再发送邀请。"},
    {"not_issued_here",
     "该证书并非由本系统通过订单签发，无法在此吊销、重新签发或续期；请到原签发机构处理，"
     "或重新申请证书。"},
    {"not_mergeable", "不同品牌、类型或有效期的订单不能合并，请选择相同产品的订单。"},
    {"not_pending", "该验证请求已处理（已通过、已失败或已过期），无需重复操作。"},
    {"not_pending_information", "订单已提交或已结束，不能再次提交。"},
    {"not_processing", "订单尚未提交或已结束，只有处理中的订单才能进行域名验证。"},
    {"not_review_failed", "只有审核未通过的订单才能重新提交。"},
    {"order_used", "该订单已被使用，只有尚未使用的订单才能合并。"},
    {"password_already_set",
     "该用户已设置过密码：接受邀请时请使用现有密码登录；添加该用户时请不要再指定密码。"},
    {"password_not_allowed",
     "邀请成员时不能为其设置密码，请去掉密码字段；被邀请人将通过邀请邮件自行设置密码。"},
    {"payload_too_large", "上传的文件或请求内容过大，请压缩文件或降低扫描分辨率后重试。"},
    {"perspective_unreachable", "无法连接远程验证节点，暂时无法完成多地验证，请稍后重试。"},
    {"pkcs11_key_unavailable", "无法使用 PKCS#11 密钥，请检查 PIN、令牌和标签是否正确。"},
    {"private_address",
     "域名指向保留地址（如内网或回环地址），验证不会连接这类地址，请将域名解析到公网地址。"},
    {"private_key_not_held",
     "该格式需要包含私钥，但使用自有 CSR 申请的证书系统不保存私钥，请下载 nginx、apache 或 pem "
     "格式，并搭配您自己的私钥使用。"},
    {"product_not_automatable",
     "只有 DV 和 OV 产品支持通过 ACME 申请，请选择其他产品，或在控制台中下单。"},
    {"public_suffix", "该名称是公共后缀而非可注册的域名，请为其下您自己的域名申请证书。"},
    {"rate_limited", "请求过于频繁，请稍后再试。"},
    {"redirect_refused",
     "验证请求的跳转被拒绝：只允许跳转到 http 或 https 的授权端口，且只跟随 301、302、307、308 "
     "跳转，请调整服务器的跳转设置。"},
    {"rejected_identifier", "该域名不符合证书签发策略，请检查域名或更换后重试。"},
    {"reserved_ip", "该地址是保留 IP 地址（私有、回环或特殊用途），公开信任的证书不能包含它。"},
    {"reserved_label",
     "域名标签的第三、四位不能是“--”，该格式保留给国际化域名（xn--），请修改域名。"},
    {"reset_invalid", "该密码重置链接无效、已使用或已过期，请重新申请重置密码。"},
    {"revocation_letter_required",
     "吊销 OV 和 EV 证书须提供签字盖章的吊销申请函，请先在订单中上传吊销申请函，再重新吊销。"},
    {"schema_too_new", "数据库结构的版本高于当前服务程序支持的版本，请升级 signetd。"},
    {"serial_taken", "证书序列号冲突，请稍后重试。"},
    {"smtp_not_configured",
     "系统未配置邮件服务器（SMTP），无法发送邀请邮件。请联系管理员配置，或请管理员代为邀请。"},
    {"status_changed", "订单状态已在此期间发生变化，请刷新后重试。"},
    {"surrounding_space", "域名前后包含空格、制表符或换行，请删除后重试。"},
    {"timeout", "连接您的服务器超时，请检查服务器是否可从公网访问。"},
    {"tls_handshake_failed",
     "与服务器的 TLS 握手（acme-tls/1）失败，请检查服务器的 TLS-ALPN 验证配置。"},
    {"too_many_channels", "通知渠道数量已达上限，请先删除一个通知渠道再添加。"},
    {"too_many_domains", "订单中的域名数量超过了产品允许的上限，请减少域名数量。"},
    {"too_many_redirects", "跳转次数过多，请减少验证地址的跳转。"},
    {"unauthorized",
     "身份验证失败：登录已过期、密码错误或 API 密钥无效。请重新登录或使用有效的 API 密钥。"},
    {"unavailable", "服务暂时不可用，请稍后重试；如问题持续，请联系管理员。"},
    {"unknown_field", "请求中包含不支持的字段，请删除该字段后重试。"},
    {"unknown_product", "产品不存在，请从产品列表中选择有效的产品。"},
    {"unsupported",
     "当前环境不支持此操作，请按运维文档改用其他方式（例如 PostgreSQL 请使用 pg_dump 备份）。"},
    {"unsupported_file",
     "文件格式不受支持，请上传 JPG、PNG 或 PDF 格式的文件（按文件内容而非扩展名判断）。"},
    {"unsupported_key", "不支持该密钥类型或参数，请使用 RSA 或 ECDSA（P-256、P-384）密钥。"},
    {"unsupported_media_type",
     "请求的内容类型（Content-Type）不受支持，请按接口要求设置，例如 JSON 接口使用 "
     "application/json。"},
    {"validation_not_stopped",
     "只有已过期或已失败的域名验证才能重新开始，该验证仍在进行中或已通过。"},
    {"waiting", "替换证书尚未签发，请稍后再试。"},
    {"weak_key",
     "密钥强度不足或存在缺陷，请重新生成至少 2048 位的 RSA 密钥（公钥指数 65537）或 ECDSA 密钥。"},
    {"weak_passphrase", "CA 私钥口令至少需要 16 个字符，请设置更长的口令。"},
    {"weak_password", "密码至少需要 12 个字符，请设置更长的密码。"},
    {"wildcard_first", "第一个域名（主域名）不能是通配符域名，请将普通域名放在第一位。"},
    {"wildcard_on_public_suffix",
     "不能直接在公共后缀上使用通配符，请为您自己的域名申请通配符证书，例如 *.example.com。"},
    {"wrong_key_password", "私钥密码不正确，无法解密私钥，请检查填写的私钥密码。"},
    {"wrong_passphrase", "无法解密 CA 私钥：口令错误，或文件不是 PEM 格式的私钥。请检查后重试。"},
    {"wrong_value",
     "验证内容与预期的随机值不一致，请检查 TXT 记录、验证文件或 TLS-ALPN 证书中的值。"},
}};

}  // namespace

std::optional<std::string_view> ChineseProblemDetail(std::string_view code) {
  auto it = std::lower_bound(kZh.begin(), kZh.end(), code,
                             [](const Entry& e, std::string_view c) { return e.code < c; });
  if (it == kZh.end() || it->code != code) return std::nullopt;
  return it->zh;
}

std::vector<std::string_view> ChineseProblemCodes() {
  std::vector<std::string_view> codes;
  codes.reserve(kZh.size());
  for (const Entry& e : kZh) codes.push_back(e.code);
  return codes;
}

}  // namespace signet::wfe
