import type { Rng } from '../random.ts';

/**
 * Word pools for the generated company. Written as `汉字:pinyin` lists so userids can be the pinyin
 * of the name, as many companies do (ZhangWei, LiNa2).
 */
function pairs(list: string): Array<{ han: string; pinyin: string }> {
  return list.trim().split(/\s+/).map((item) => {
    const [han, pinyin] = item.split(':');
    return { han, pinyin };
  });
}

const SURNAMES = pairs(`
  王:wang 李:li 张:zhang 刘:liu 陈:chen 杨:yang 黄:huang 赵:zhao 吴:wu 周:zhou 徐:xu 孙:sun 马:ma 朱:zhu
  胡:hu 郭:guo 何:he 高:gao 林:lin 罗:luo 郑:zheng 梁:liang 谢:xie 宋:song 唐:tang 许:xu 韩:han 冯:feng
  邓:deng 曹:cao 彭:peng 曾:zeng 肖:xiao 田:tian 董:dong 袁:yuan 潘:pan 于:yu 蒋:jiang 蔡:cai 余:yu 杜:du
  叶:ye 程:cheng 苏:su 魏:wei 吕:lv 丁:ding 任:ren 沈:shen 姚:yao 卢:lu 姜:jiang 崔:cui 钟:zhong 谭:tan
  陆:lu 汪:wang 范:fan 金:jin 石:shi 廖:liao 贾:jia 夏:xia 韦:wei 方:fang 白:bai 邹:zou 孟:meng 熊:xiong
  秦:qin 邱:qiu 江:jiang 尹:yin 薛:xue 闫:yan 段:duan 雷:lei 侯:hou 龙:long 史:shi 陶:tao 黎:li 贺:he
  欧阳:ouyang 司马:sima
`);

const GIVEN = pairs(`
  伟:wei 芳:fang 娜:na 敏:min 静:jing 丽:li 强:qiang 磊:lei 军:jun 洋:yang 勇:yong 艳:yan 杰:jie 娟:juan
  涛:tao 明:ming 超:chao 秀:xiu 霞:xia 平:ping 刚:gang 桂:gui 英:ying 华:hua 玉:yu 兰:lan 萍:ping 红:hong
  鹏:peng 辉:hui 宇:yu 浩:hao 凯:kai 晨:chen 婷:ting 雪:xue 琳:lin 晶:jing 颖:ying 倩:qian 慧:hui 佳:jia
  欣:xin 思:si 雨:yu 梓:zi 涵:han 子:zi 轩:xuan 博:bo 文:wen 然:ran 一:yi 诺:nuo 嘉:jia 俊:jun 泽:ze
  航:hang 睿:rui 昊:hao 天:tian 瑞:rui 志:zhi 建:jian 国:guo 海:hai 峰:feng 亮:liang 斌:bin 飞:fei
  晓:xiao 彤:tong 璐:lu 瑶:yao 琪:qi 欢:huan 悦:yue 蕾:lei 薇:wei 冰:bing 露:lu 琦:qi 岚:lan 宁:ning
  安:an 可:ke 心:xin 怡:yi 晴:qing 阳:yang 星:xing 辰:chen 毅:yi 恒:heng 坤:kun 锋:feng 波:bo 旭:xu
`);

export interface PersonName {
  name: string;
  /** CamelCase pinyin, e.g. `ZhangWei`. */
  pinyin: string;
}

export function personName(rng: Rng): PersonName {
  const surname = rng.pick(SURNAMES);
  const parts = [rng.pick(GIVEN)];
  if (rng.chance(0.6)) parts.push(rng.pick(GIVEN));
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return {
    name: surname.han + parts.map((p) => p.han).join(''),
    pinyin: cap(surname.pinyin) + parts.map((p) => cap(p.pinyin)).join(''),
  };
}

const NICKNAMES = `一叶知秋 追风少年 向日葵 清风徐来 阳光明媚 小太阳 静待花开 岁月静好 平安是福 海阔天空 简单快乐 星辰大海
  浅笑安然 云淡风轻 知足常乐 Lily Tony Kevin Grace Amy Jack Sunny Linda Leo 木子 糖糖 大鹏 老王 小雨 阿杰 晴天`
  .trim().split(/\s+/);

/** A WeChat nickname: often a real name, often not. */
export function wechatNickname(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.45) return personName(rng).name;
  if (roll < 0.6) return `${personName(rng).name.slice(0, 1)}${rng.pick(['先生', '女士', '总', '经理', '老师'])}`;
  return rng.pick(NICKNAMES);
}

const CORP_WORDS = pairs(`
  华信:huaxin 鼎盛:dingsheng 恒通:hengtong 星河:xinghe 远航:yuanhang 瑞丰:ruifeng 博远:boyuan 金桥:jinqiao
  云帆:yunfan 盛世:shengshi 汇智:huizhi 新元:xinyuan 锦程:jincheng 宏图:hongtu 天成:tiancheng 万象:wanxiang
`);
const INDUSTRIES = pairs(`科技:tech 贸易:trade 物流:logistics 教育:edu 医疗:health 餐饮:food 地产:estate 电子:electronics 咨询:consulting`);
export const CITIES = ['上海', '北京', '杭州', '深圳', '广州', '成都', '南京', '苏州', '武汉', '西安', '重庆', '厦门'];

export interface CorpName {
  short: string;
  full: string;
  /** For email domains. */
  domain: string;
}

export function corpName(rng: Rng): CorpName {
  const word = rng.pick(CORP_WORDS);
  const industry = rng.pick(INDUSTRIES);
  return {
    short: `${word.han}${industry.han}`,
    full: `${rng.pick(CITIES)}${word.han}${industry.han}有限公司`,
    domain: `${word.pinyin}-${industry.pinyin}.com`,
  };
}

/** Top-level departments, with English names (department/list returns `name_en`). */
export const DEPARTMENT_FUNCTIONS: ReadonlyArray<readonly [string, string]> = [
  ['销售部', 'Sales'], ['市场部', 'Marketing'], ['客户成功部', 'Customer Success'], ['研发中心', 'R&D'],
  ['产品部', 'Product'], ['运营部', 'Operations'], ['人力资源部', 'HR'], ['财务部', 'Finance'],
  ['行政部', 'Administration'], ['法务部', 'Legal'], ['采购部', 'Procurement'], ['售后服务部', 'After-sales'],
  ['渠道部', 'Channels'], ['品牌部', 'Brand'], ['数据部', 'Data'], ['质量部', 'Quality'],
];
export const REGIONS: ReadonlyArray<readonly [string, string]> = [
  ['华东区', 'East'], ['华南区', 'South'], ['华北区', 'North'], ['华中区', 'Central'], ['西南区', 'Southwest'],
  ['西北区', 'Northwest'], ['东北区', 'Northeast'], ['海外区', 'Overseas'],
];

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 35 → 三十五 (team names such as 十二组). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n];
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ''}`;
  if (n < 100) return `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`;
  return String(n);
}

export const POSITIONS = {
  leader: ['总监', '经理', '主管', '负责人'],
  staff: ['销售代表', '客户经理', '高级客户经理', '销售顾问', '专员', '工程师', '高级工程师', '产品经理', '运营专员', '助理', '分析师'],
  executive: ['总经理', '副总经理', '首席运营官'],
} as const;

export const CONTACT_WAY_CHANNELS: ReadonlyArray<readonly [string, string]> = [
  ['展会二维码', 'expo'], ['官网客服', 'website'], ['公众号菜单', 'mp_menu'], ['线下门店', 'store'],
  ['朋友圈广告', 'moments_ad'], ['直播间', 'live'], ['电话回访', 'callback'], ['宣传单页', 'flyer'],
];

export const MEMBER_TAGS = ['管理层', '销售团队', '新员工', '试用期', '技术骨干', '客服团队', '讲师', '党员', '外包', '实习生'];

export const REMARK_SUFFIXES = ['-意向强', '-老客户', '-待回访', '-已报价', '-渠道', '', '', ''];
export const DESCRIPTIONS = ['对专业版感兴趣', '需要周末联系', '决策人', '预算有限', '朋友介绍', '曾参加线下活动', ''];
export const ROBOT_NAMES = ['日报助手', '客户提醒', '工单机器人', '值班小助手', '数据播报', '审批提醒'];
export const GROUP_TOPICS = ['客户交流群', '服务群', 'VIP群', '售后群', '活动群', '项目群', '学习群', '福利群'];
export const INTERNAL_GROUP_TOPICS = ['项目组', '周会', '工作群', '值班群', '培训群', '技术讨论', '销冠冲刺'];
export const NOTICES = ['欢迎加入，请遵守群规。', '本群用于日常沟通与售后服务。', '', '', '活动详情请见群公告。'];
