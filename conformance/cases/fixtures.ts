// Fixed credentials for auth cases. Test-only keys, generated once with @nats-io/nkeys and
// bcryptjs; they protect nothing.

export const USER_A = {
  seed: 'SUAIVD2EQ53D7RWT745YJPXFSAKXI5O66RG2YZJVE3LOMBF6ATD6HAWI2U',
  pub: 'UABR3ZJSOTPAQQUPN7FN2QYKYXJF5AQFS76RZF5YEIT4QUN4MQUKCDC6',
} as const;

/** A valid user key that no config lists. */
export const USER_B = {
  seed: 'SUAKQXXUACCTW5O2GP2NVG2CVNOBXTLRYZVWHZ5IFKWOUTCT4RXQ7YIMTY',
  pub: 'UCMCTWAP2D735L7RW4Z5FRI2ZGDNM47PRA6Y527SG4463SMRBUAMFMRG',
} as const;

/** bcrypt (cost 4) of `s3cret`, `$2a$` and `$2b$` flavours. */
export const BCRYPT_2A = '$2a$04$SplggouKFIZVXNGZ2AkQy.APRSn/tsWBma/LBNGBQlLkCqlpANUu6';
export const BCRYPT_2B = '$2b$04$TyKsCW1kEK4AZy4hZvi5xe4agcPW9z2eh3RvpKhsTA6l9thDMKDTC';
